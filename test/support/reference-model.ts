/**
 * An independent reference model of what method-guard must do, written from the
 * spec (README, issue 3) rather than from src/: route patterns as segment lists,
 * its own path canonicalisation and matching, its own Allow rule. The property
 * tests check the real guard against it.
 */
import fc from 'fast-check';

/** Methods a Worker can receive that the generators use. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'QUERY'];
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'ALL'];
const WORDS = ['a', 'b', 'api', 'v1', 'Items'];

export type PatternSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param' }
  | { kind: 'optional' }
  | { kind: 'greedy' }
  | { kind: 'wildcard' };

export interface ModelRoute {
  method: string;
  segments: PatternSegment[];
}

export interface ModelOptions {
  strictTrailingSlash: boolean;
  caseInsensitive: boolean;
}

/** The itty path string for a pattern (params get unique names: itty builds one RegExp). */
export function ittyPath(segments: PatternSegment[]): string {
  const parts = segments.map((s, i) => {
    if (s.kind === 'literal') return s.value;
    if (s.kind === 'param') return `:p${i}`;
    if (s.kind === 'optional') return `:p${i}?`;
    if (s.kind === 'greedy') return `:p${i}+`;
    return '*';
  });
  return `/${parts.join('/')}`;
}

const patternSegment: fc.Arbitrary<PatternSegment> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS).map((value) => ({ kind: 'literal' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'param' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'optional' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'greedy' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wildcard' as const }) },
);

export const routeTable: fc.Arbitrary<ModelRoute[]> = fc.array(
  fc.record({
    method: fc.constantFrom(...ROUTE_METHODS),
    segments: fc.array(patternSegment, { maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 8 },
);

/** One path segment as written on the wire, with the spellings attackers use. */
const spelledSegment = fc
  .tuple(
    fc.constantFrom(...WORDS, 'x', 'zz', 'ITEMS', 'A'),
    fc.constantFrom('plain', 'encode-one', 'encode-lower', 'upper', 'semicolon', 'encoded-slash', 'nul', 'bad-pct'),
    fc.nat(10),
  )
  .map(([word, spelling, n]) => {
    const i = n % word.length;
    const hex = word.charCodeAt(i).toString(16);
    switch (spelling) {
      case 'encode-one':
        return `${word.slice(0, i)}%${hex.toUpperCase()}${word.slice(i + 1)}`;
      case 'encode-lower':
        return `${word.slice(0, i)}%${hex.toLowerCase()}${word.slice(i + 1)}`;
      case 'upper':
        return word.toUpperCase();
      case 'semicolon':
        return `${word};x=1`;
      case 'encoded-slash':
        return `${word}%2F${word}`;
      case 'nul':
        return `${word}%00`;
      case 'bad-pct':
        return `${word}%G1`;
      default:
        return word;
    }
  });

export interface ModelRequest {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  overrides: { header?: [string, string]; query?: string };
}

export const request: fc.Arbitrary<ModelRequest> = fc
  .record({
    method: fc.constantFrom(...METHODS),
    segments: fc.array(fc.record({ text: spelledSegment, slashes: fc.constantFrom('/', '/', '/', '//') }), {
      maxLength: 5,
    }),
    trailing: fc.boolean(),
    header: fc.option(
      fc.tuple(
        fc.constantFrom('X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'),
        fc.constantFrom(...METHODS, 'delete'),
      ),
      { freq: 4 },
    ),
    query: fc.option(fc.constantFrom(...METHODS, 'put'), { freq: 6 }),
  })
  .map(({ method, segments, trailing, header, query }) => {
    let path = segments.map((s) => s.slashes + s.text).join('') || '/';
    if (trailing && path !== '/') path += '/';
    const target = query === null ? path : `${path}?_method=${query}`;
    return {
      method,
      target,
      overrides: { ...(header ? { header } : {}), ...(query === null ? {} : { query }) },
    };
  });

/** The model's reading of a path as the Worker receives it (WHATWG-parsed). */
export function modelPath(pathname: string, options: ModelOptions): { ok: false } | { ok: true; segments: string[] } {
  if (pathname.includes('\\')) return { ok: false };
  let decoded = '';
  for (let i = 0; i < pathname.length; i++) {
    if (pathname[i] !== '%') {
      decoded += pathname[i];
      continue;
    }
    const hex = pathname.slice(i + 1, i + 3);
    if (!/^[0-9a-f]{2}$/i.test(hex)) return { ok: false };
    const ch = String.fromCharCode(Number.parseInt(hex, 16));
    if (ch === '/' || ch === '\\' || ch < ' ' || ch === '\x7f') return { ok: false };
    decoded += /[A-Za-z0-9._~-]/.test(ch) ? ch : `%${hex.toUpperCase()}`;
    i += 2;
  }
  // Encoded ";", double encoding and malformed UTF-8 read differently at different origins.
  if (/%3B|%25([0-9a-f]{2}|u[0-9a-f]{4})/i.test(decoded)) return { ok: false };
  try {
    decodeURIComponent(decoded);
  } catch {
    return { ok: false };
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  // Strictly, a trailing slash is one more (empty) segment only a wildcard can absorb.
  if (options.strictTrailingSlash && decoded.endsWith('/') && segments.length > 0) segments.push('');
  return { ok: true, segments: options.caseInsensitive ? segments.map((s) => s.toLowerCase()) : segments };
}

function matches(pattern: PatternSegment[], path: string[], options: ModelOptions): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern as [PatternSegment, ...PatternSegment[]];
  switch (head.kind) {
    case 'literal': {
      const value = options.caseInsensitive ? head.value.toLowerCase() : head.value;
      return path[0] === value && matches(rest, path.slice(1), options);
    }
    case 'param':
      return path.length > 0 && path[0] !== '' && matches(rest, path.slice(1), options);
    case 'optional':
      return (
        matches(rest, path, options) || (path.length > 0 && path[0] !== '' && matches(rest, path.slice(1), options))
      );
    case 'greedy':
      for (let k = 1; k <= path.length; k++) {
        if (path.slice(0, k).join('/') !== '' && matches(rest, path.slice(k), options)) return true;
      }
      return false;
    case 'wildcard':
      for (let k = 0; k <= path.length; k++) if (matches(rest, path.slice(k), options)) return true;
      return false;
  }
}

export interface ModelDecision {
  /** null: the path is ambiguous (400). */
  declared: { methods: Set<string>; all: boolean } | null | 'unmatched';
}

export function modelDeclared(routes: ModelRoute[], pathname: string, options: ModelOptions) {
  const path = modelPath(pathname, options);
  if (!path.ok) return null;
  const methods = new Set<string>();
  let all = false;
  let matched = false;
  for (const route of routes) {
    if (!matches(route.segments, path.segments, options)) continue;
    matched = true;
    if (route.method === 'ALL') all = true;
    else methods.add(route.method);
  }
  return matched ? { methods, all } : 'unmatched';
}

export function modelAllows(declared: { methods: Set<string>; all: boolean }, method: string): boolean {
  return (
    declared.methods.has(method) ||
    method === 'OPTIONS' ||
    (method === 'HEAD' && declared.methods.has('GET')) ||
    (declared.all && method !== 'TRACE' && method !== 'CONNECT')
  );
}

/** Every method the request asks for: the request line plus any override. */
export function effectiveMethods(method: string, overrides: ModelRequest['overrides']): string[] {
  const all = [method];
  if (overrides.header) all.push(overrides.header[1].toUpperCase());
  if (overrides.query) all.push(overrides.query.toUpperCase());
  return all;
}
