/**
 * An independent reading of an OpenAPI document's path semantics, for tests: no
 * code shared with src/ (no itty, no method map, no importer). A `{param}` is one
 * non-empty run of characters without `/` (OpenAPI 3.1 §4.8.2); the Allow of a
 * concrete path is the union of the methods of every template matching it, with
 * HEAD where GET (RFC 9110 §9.3.2) and OPTIONS (the guard answers it).
 */
import { readFileSync } from 'node:fs';

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export interface ReferencePath {
  /** The document's template, base path included. */
  readonly template: string;
  /** Matches the concrete paths the template stands for. */
  readonly regexp: RegExp;
  /** Methods described on it, uppercase. */
  readonly methods: readonly string[];
}

type Server = { url: string };
type Item = Record<string, unknown> & { servers?: Server[] };
interface Document {
  servers?: Server[];
  paths: Record<string, Item>;
}

/** The path of a server URL without variables, trailing slash dropped. */
const basePath = (servers: Server[] | undefined) =>
  servers?.[0] ? new URL(servers[0].url, 'http://x.invalid').pathname.replace(/\/$/, '') : undefined;

const literal = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

export function templateRegExp(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((piece) => (piece.startsWith('{') ? '[^/]+' : literal(piece)))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Every (template, methods) of a JSON OpenAPI 3.x document whose path items are inline. */
export function referencePaths(file: string): ReferencePath[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const documentBase = basePath(document.servers) ?? '';
  const byTemplate = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const key of OPERATION_KEYS) {
      const operation = item[key] as { servers?: Server[] } | undefined;
      if (!operation) continue;
      const base = basePath(operation.servers) ?? basePath(item.servers) ?? documentBase;
      const template = `${base}${path}`.replace(/(.)\/$/, '$1');
      const methods = byTemplate.get(template) ?? new Set();
      methods.add(key.toUpperCase());
      byTemplate.set(template, methods);
    }
  }
  return [...byTemplate].map(([template, methods]) => ({
    template,
    regexp: templateRegExp(template),
    methods: [...methods],
  }));
}

/** Allow for a concrete path, or null when no template matches it. */
export function referenceAllow(paths: readonly ReferencePath[], path: string): string[] | null {
  const matching = paths.filter((p) => p.regexp.test(path));
  if (matching.length === 0) return null;
  const methods = new Set(matching.flatMap((p) => p.methods));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The template with each `{param}` replaced by `fill(name, index of its segment)`. */
export function fillTemplate(template: string, fill: (name: string, segment: number) => string): string {
  return template
    .split('/')
    .map((segment, i) => segment.replace(/\{([^}]+)\}/g, (_whole, name: string) => fill(name, i)))
    .join('/');
}

/**
 * A literal that another template has where `template` has a parameter (e.g.
 * `search` for `/repos/{owner}` beside `/repos/search`), for each parameter's
 * segment: values that make several templates match the same path.
 */
export function collidingFill(
  paths: readonly ReferencePath[],
  template: string,
): (name: string, segment: number) => string {
  const segments = template.split('/');
  const literals = new Map<number, string>();
  for (const other of paths) {
    const theirs = other.template.split('/');
    theirs.forEach((segment, i) => {
      if (literals.has(i) || !segments[i]?.includes('{') || segment.includes('{') || segment === '') return;
      const samePrefix = theirs
        .slice(0, i)
        .every((s, j) => s === segments[j] || s.includes('{') || segments[j]?.includes('{'));
      if (samePrefix) literals.set(i, segment);
    });
  }
  return (name, segment) => literals.get(segment) ?? `x-${name}`;
}
