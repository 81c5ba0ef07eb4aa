/**
 * Reading an OpenAPI document (JSON or YAML; YAML 1.2 is a superset of JSON, so
 * one parser reads both) and following the `$ref`s a path item may be.
 *
 * Only path items are dereferenced: they are the only references that decide
 * which (path, method) pairs exist. A reference is a URI (OpenAPI 3.1 §4.8.23,
 * RFC 3986) to another file, resolved against the document that holds it, and a
 * JSON Pointer (RFC 6901) inside it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

/** The document cannot be read or understood; the message names the file and the problem. */
export class OpenApiError extends Error {}

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LoadedDocument {
  readonly file: string;
  readonly root: JsonObject;
  /** The path item at `paths[template]`, its `$ref`s followed (siblings override, as in a Reference Object). */
  pathItem(template: string): Promise<JsonObject>;
}

async function parseFile(file: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OpenApiError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    // Spec documents are large (GitHub's is 13 MB of JSON): JSON.parse first, YAML when that fails.
    return JSON.parse(text) as Json;
  } catch {
    try {
      return parse(text) as Json;
    } catch (error) {
      throw new OpenApiError(
        `${file}: neither JSON nor YAML: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** RFC 6901: `~1` is `/`, `~0` is `~`, each token percent-decoded first when it came from a URI fragment. */
function pointTo(root: Json, pointer: string, where: string): Json {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) throw new OpenApiError(`${where}: "#${pointer}" is not a JSON pointer`);
  let node: Json | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = Array.isArray(node) ? (node as Json[])[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined) throw new OpenApiError(`${where}: "#${pointer}" points at nothing`);
  }
  return node;
}

export async function loadDocument(path: string): Promise<LoadedDocument> {
  const file = resolve(path);
  const files = new Map<string, Promise<Json>>([[file, parseFile(file)]]);
  const root = await (files.get(file) as Promise<Json>);
  if (!isObject(root)) throw new OpenApiError(`${path}: not an OpenAPI document (not an object)`);

  const fileAt = (target: string): Promise<Json> => {
    const loaded = files.get(target) ?? parseFile(target);
    files.set(target, loaded);
    return loaded;
  };

  /** Follow `item` while it is a reference; `from` is the file that holds it. */
  async function follow(item: Json, from: string, where: string, seen: readonly string[]): Promise<JsonObject> {
    if (!isObject(item)) throw new OpenApiError(`${where}: a path item must be an object`);
    const ref = item.$ref;
    if (ref === undefined) return item;
    if (typeof ref !== 'string') throw new OpenApiError(`${where}: $ref must be a string`);
    const [target = '', pointer = ''] = ref.split('#', 2);
    const targetFile = target === '' ? from : resolve(dirname(from), decodeURI(target));
    const key = `${targetFile}#${pointer}`;
    if (seen.includes(key)) throw new OpenApiError(`${where}: $ref cycle through ${ref}`);
    const referenced = await follow(
      pointTo(await fileAt(targetFile), pointer, `${where} → ${ref}`),
      targetFile,
      `${where} → ${ref}`,
      [...seen, key],
    );
    const { $ref: _ref, ...siblings } = item;
    return { ...referenced, ...siblings };
  }

  return {
    file,
    root,
    pathItem(template) {
      const paths = root.paths;
      const item = isObject(paths) ? paths[template] : undefined;
      return follow(item ?? null, file, `paths["${template}"]`, []);
    },
  };
}
