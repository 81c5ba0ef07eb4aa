/**
 * The (path, method) pairs an OpenAPI document describes, each under the base
 * path its server gives it.
 *
 * A path item's fixed fields name its operations (OpenAPI 3.1 §4.8.9: get, put,
 * post, delete, options, head, patch, trace; 3.2 adds query and a map of
 * `additionalOperations` for any other method; Swagger 2.0 has no trace). Any
 * other key (`x-…` extensions, `parameters`, `summary`…) is not a method.
 *
 * Base path (OpenAPI 3.1 §4.8.10, "servers" at three levels, the nearest wins):
 * the operation's `servers`, else the path item's, else the document's; the first
 * entry of that list, its `{variables}` replaced by their `default`. Swagger 2.0: `basePath`.
 */
import { isObject, type Json, type JsonObject, type LoadedDocument, OpenApiError } from './load.ts';

/** The operation keys of a path item, by the versions that have them. */
const FIXED_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SWAGGER_METHODS = FIXED_METHODS.filter((m) => m !== 'trace');
const QUERY = 'query'; // OpenAPI 3.2

export interface Operation {
  /** Uppercase HTTP method. */
  readonly method: string;
  /** The key under `paths`, as written in the document. */
  readonly template: string;
  /** The base path its server gives it ('' for none). */
  readonly base: string;
}

export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  /** `OpenAPI 3.1.0`, `Swagger 2.0`. */
  readonly format: string;
}

export interface Operations {
  readonly info: DocumentInfo;
  readonly operations: readonly Operation[];
}

const text = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

function documentInfo(
  root: JsonObject,
  file: string,
): DocumentInfo & { readonly swagger: boolean; readonly minor: number } {
  const info = isObject(root.info) ? root.info : {};
  const title = text(info.title) ?? '(untitled)';
  const version = text(info.version) ?? String(info.version ?? '');
  const openapi = text(root.openapi);
  if (openapi !== undefined && /^3\.\d+/.test(openapi)) {
    return { title, version, format: `OpenAPI ${openapi}`, swagger: false, minor: Number(openapi.split('.')[1]) };
  }
  if (String(root.swagger) === '2.0') return { title, version, format: 'Swagger 2.0', swagger: true, minor: 0 };
  throw new OpenApiError(
    `${file}: not an OpenAPI 3.x or Swagger 2.0 document (no "openapi: 3.x" or "swagger: 2.0" field)`,
  );
}

/** The path part of a server URL, its variables replaced by their defaults (OpenAPI 3.1 §4.8.5). */
function serverBase(servers: Json | undefined, where: string): string | undefined {
  if (!Array.isArray(servers) || servers.length === 0) return undefined;
  const server = servers[0] as Json;
  const url = isObject(server) ? text(server.url) : undefined;
  if (url === undefined) throw new OpenApiError(`${where}.servers[0]: no url`);
  const variables = isObject(server) && isObject(server.variables) ? server.variables : {};
  const filled = url.replace(/\{([^}]*)\}/g, (_whole, name: string) => {
    const variable = variables[name];
    const value = isObject(variable) ? text(variable.default) : undefined;
    if (value === undefined) throw new OpenApiError(`${where}.servers[0]: variable {${name}} has no default`);
    return value;
  });
  // A relative URL is relative to the document's location: only its path matters here.
  return new URL(filled, 'http://relative.invalid/').pathname.replace(/\/+$/, '');
}

/** Every operation of the document, in document order. */
export async function listOperations(document: LoadedDocument): Promise<Operations> {
  const { root, file } = document;
  const info = documentInfo(root, file);
  const paths = root.paths ?? {};
  if (!isObject(paths)) throw new OpenApiError(`${file}: "paths" must be an object`);

  const documentBase = info.swagger ? (text(root.basePath) ?? '') : (serverBase(root.servers, '') ?? '');
  const methods: readonly string[] = info.swagger
    ? SWAGGER_METHODS
    : info.minor >= 2
      ? [...FIXED_METHODS, QUERY]
      : FIXED_METHODS;

  const operations: Operation[] = [];
  for (const template of Object.keys(paths)) {
    // Specification extensions (`x-…`) may sit beside the paths (OpenAPI 3.1 §4.8.8).
    if (template.startsWith('x-')) continue;
    if (!template.startsWith('/')) throw new OpenApiError(`${file}: paths["${template}"]: a path must begin with "/"`);
    const item = await document.pathItem(template);
    const where = `paths["${template}"]`;
    const itemBase = info.swagger ? undefined : serverBase(item.servers, where);
    const add = (method: string, operation: Json | undefined) => {
      if (!isObject(operation)) return;
      const base = info.swagger ? undefined : serverBase(operation.servers, `${where}.${method}`);
      operations.push({ method: method.toUpperCase(), template, base: base ?? itemBase ?? documentBase });
    };
    for (const method of methods) add(method, item[method]);
    if (info.minor >= 2 && isObject(item.additionalOperations)) {
      for (const [method, operation] of Object.entries(item.additionalOperations)) add(method, operation);
    }
  }
  return { info: { title: info.title, version: info.version, format: info.format }, operations };
}
