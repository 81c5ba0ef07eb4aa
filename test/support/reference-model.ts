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
const SPELLINGS = [
  'plain',
  'encode-one',
  'encode-lower',
  'upper',
  'semicolon',
  'encoded-slash',
  'nul',
  'bad-pct',
  // Spellings some origins read as another path (readings) or that none reads safely (400).
  'json',
  'tar-gz',
  'trailing-dot',
  'space-after',
  'space-before',
  'long-s',
  'dotdot-param',
  'pct-semicolon',
  'double-encoded',
  'overlong',
  // Whole segments a reading drops: `;x` (path-params), `%20` (trim), `...` (Windows names).
  'only-params',
  'only-space',
  'dots',
] as const;

function spell(word: string, spelling: (typeof SPELLINGS)[number], n: number): string {
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
    case 'json':
      return `${word}.json`;
    case 'tar-gz':
      return `${word}.tar.gz`;
    case 'trailing-dot':
      return `${word}.`;
    case 'space-after':
      return `${word}%20`;
    case 'space-before':
      return `%20${word}`;
    case 'long-s':
      // U+017F LATIN SMALL LETTER LONG S: `s` to .NET's and Java's case folding.
      return word.includes('s') ? word.replace('s', '%C5%BF') : `${word}%C5%BF`;
    case 'dotdot-param':
      return '..;x';
    case 'pct-semicolon':
      return `${word}%3Bx`;
    case 'double-encoded':
      return `${word}%2541`;
    case 'overlong':
      return `${word}%C0%AF`;
    case 'only-params':
      return ';x';
    case 'only-space':
      return '%20';
    case 'dots':
      return '...';
    default:
      return word;
  }
}

const spelledSegment = fc
  .tuple(fc.constantFrom(...WORDS, 'x', 'zz', 'ITEMS', 'A', 'new'), fc.constantFrom(...SPELLINGS), fc.nat(10))
  .map(([word, spelling, n]) => spell(word, spelling, n));

export interface ModelRequest {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** `query` is sent as `?<queryName>=<query>`. */
  overrides: { header?: [string, string]; query?: string; queryName?: string };
}

/** Spellings of `_method` as a query name: exact, and as PHP reads `_method` (main/php_variables.c). */
export const QUERY_NAMES = ['_method', '_method', '.method', '%20_method', '+_method', '_method%00', '_method[]'];
/** Override header names: the exact ones, and CGI spellings (`_` for `-`, any case). */
const HEADER_NAMES = [
  'X-HTTP-Method-Override',
  'X-HTTP-Method',
  'X-Method-Override',
  'X_HTTP_METHOD_OVERRIDE',
  'x_http_method',
  'X-Method_Override',
];

export const request: fc.Arbitrary<ModelRequest> = fc
  .record({
    method: fc.constantFrom(...METHODS),
    segments: fc.array(fc.record({ text: spelledSegment, slashes: fc.constantFrom('/', '/', '/', '//') }), {
      maxLength: 5,
    }),
    trailing: fc.boolean(),
    header: fc.option(fc.tuple(fc.constantFrom(...HEADER_NAMES), fc.constantFrom(...METHODS, 'delete')), { freq: 4 }),
    query: fc.option(fc.constantFrom(...METHODS, 'put'), { freq: 6 }),
    queryName: fc.constantFrom(...QUERY_NAMES),
  })
  .map(({ method, segments, trailing, header, query, queryName }) => {
    let path = segments.map((s) => s.slashes + s.text).join('') || '/';
    if (trailing && path !== '/') path += '/';
    const target = query === null ? path : `${path}?${queryName}=${query}`;
    return {
      method,
      target,
      overrides: { ...(header ? { header } : {}), ...(query === null ? {} : { query, queryName }) },
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

/**
 * Every method the request asks for: the request line plus any override. The
 * query name counts if it is `_method`, or (`phpNames`) PHP reads it as `_method`.
 */
export function effectiveMethods(method: string, overrides: ModelRequest['overrides'], phpNames = false): string[] {
  const all = [method];
  if (overrides.header) all.push(overrides.header[1].toUpperCase());
  const name = overrides.queryName ?? '_method';
  if (overrides.query && (name === '_method' || phpNames)) all.push(overrides.query.toUpperCase());
  return all;
}

/**
 * The methods a request asks an origin to run: none of its overrides when the
 * guard answers it itself, as an OPTIONS no route declares (RFC 9110 §9.3.7):
 * that reaches no origin, so nothing there can act on an override.
 */
export function askedMethods(
  method: string,
  overrides: ModelRequest['overrides'],
  declaresOptions: boolean,
  phpNames = false,
): string[] {
  return method === 'OPTIONS' && !declaresOptions ? [method] : effectiveMethods(method, overrides, phpNames);
}

// ---- origin readings (issue 9), from the framework behaviour itself, on segment lists ----

/** One kind of origin: path rewrites (in order) then alternatives (each applied once, in order). */
interface ModelOrigin {
  readonly rewrites: readonly ('params' | 'trim' | 'windows' | 'fold' | 'unifold')[];
  readonly alternatives: readonly ('format' | 'suffix' | 'trailing')[];
}

export const MODEL_ORIGINS: Readonly<Record<string, ModelOrigin>> = {
  strict: { rewrites: [], alternatives: [] },
  express: { rewrites: ['fold'], alternatives: ['trailing'] },
  rails: { rewrites: [], alternatives: ['format', 'trailing'] },
  laravel: { rewrites: [], alternatives: ['trailing'] },
  spring: { rewrites: ['params', 'trim'], alternatives: ['suffix', 'trailing'] },
  django: { rewrites: [], alternatives: [] },
  flask: { rewrites: [], alternatives: [] },
  aspnet: { rewrites: ['windows', 'fold', 'unifold'], alternatives: ['trailing'] },
  nginx: { rewrites: [], alternatives: [] },
  go: { rewrites: [], alternatives: [] },
  combined: {
    rewrites: ['params', 'trim', 'windows', 'fold', 'unifold'],
    alternatives: ['format', 'suffix', 'trailing'],
  },
};
export const MODEL_PROFILES = [...Object.keys(MODEL_ORIGINS).filter((n) => n !== 'combined'), 'any'];
/** Profiles whose origins read `_method` query names the PHP way. */
export const PHP_NAMED = new Set(['laravel', 'any']);

const SPACE = '%20';
/** Unicode letters whose case folding lands on ASCII, as escapes. */
const FOLD_TO_ASCII: Record<string, string> = { '%C4%B1': 'i', '%C4%B0': 'i', '%C5%BF': 's', '%E2%84%AA': 'k' };

function rewriteSegment(segment: string, step: ModelOrigin['rewrites'][number]): string {
  switch (step) {
    case 'params': {
      const semicolon = segment.indexOf(';');
      return semicolon === -1 ? segment : segment.slice(0, semicolon);
    }
    case 'trim': {
      let out = segment;
      while (out.startsWith(SPACE)) out = out.slice(SPACE.length);
      while (out.endsWith(SPACE)) out = out.slice(0, -SPACE.length);
      return out;
    }
    case 'windows': {
      let out = segment;
      for (;;) {
        if (out.endsWith('.')) out = out.slice(0, -1);
        else if (out.endsWith(SPACE)) out = out.slice(0, -SPACE.length);
        else if (out.toUpperCase().endsWith('::$DATA')) out = out.slice(0, -7);
        else return out;
      }
    }
    case 'fold': // applied when matching: routes' letters fold too
      return segment;
    case 'unifold': {
      let out = segment;
      for (const [escaped, ascii] of Object.entries(FOLD_TO_ASCII)) out = out.split(escaped).join(ascii);
      return out;
    }
  }
}

/** A segment list after an alternative, or null when it changes nothing. */
function alternative(segments: string[], step: ModelOrigin['alternatives'][number]): string[] | null {
  if (step === 'trailing') return segments.at(-1) === '' ? segments.slice(0, -1) : null;
  let last = segments.length - 1;
  if (segments[last] === '') last--;
  const name = segments[last];
  if (name === undefined) return null;
  const dot = step === 'format' ? name.lastIndexOf('.') : name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  const out = [...segments];
  out[last] = name.slice(0, dot);
  return out;
}

type Declaration = { methods: Set<string>; all: boolean };

/**
 * What the routes say about a path under a profile: 'ambiguous' (400),
 * 'unmatched', or Allow as a predicate: a method must be allowed by every
 * origin whose reading matches (each origin: any of its forms).
 */
export function modelReadings(
  routes: ModelRoute[],
  pathname: string,
  profile: string,
  options: Pick<ModelOptions, 'strictTrailingSlash'> & { caseInsensitive: boolean },
): 'ambiguous' | 'unmatched' | ModelReading {
  const path = modelPath(pathname, { strictTrailingSlash: options.strictTrailingSlash, caseInsensitive: false });
  if (!path.ok) return 'ambiguous';
  const origins = profile === 'any' ? Object.values(MODEL_ORIGINS) : [MODEL_ORIGINS[profile] as ModelOrigin];
  const matched: Declaration[] = [];
  for (const origin of origins) {
    const rewrites = options.caseInsensitive ? [...origin.rewrites, 'fold' as const] : origin.rewrites;
    let segments = path.segments;
    for (const step of rewrites) {
      const trailing = segments.at(-1) === '';
      const body = (trailing ? segments.slice(0, -1) : segments).map((s) => rewriteSegment(s, step));
      if (body.some((s, i) => s !== (segments[i] as string) && (s === '.' || s === '..'))) return 'ambiguous';
      const kept = body.filter((s) => s !== '');
      // What is left of `/.../` is `/`, the root: no segment, so no trailing one either.
      segments = kept.length > 0 && trailing ? [...kept, ''] : kept;
    }
    const forms = [segments];
    for (const step of origin.alternatives) {
      if (step === 'trailing' && !options.strictTrailingSlash) continue;
      for (const form of [...forms]) {
        const next = alternative(form, step);
        if (next?.some((s) => s === '.' || s === '..')) return 'ambiguous';
        if (next && !forms.some((f) => f.join('/') === next.join('/'))) forms.push(next);
      }
    }
    const folds = rewrites.includes('fold') || rewrites.includes('unifold');
    const declaration: Declaration = { methods: new Set(), all: false };
    let any = false;
    for (const form of forms) {
      const read = folds ? form.map((s) => s.toLowerCase()) : form;
      for (const route of routes) {
        if (!matches(route.segments, read, { ...options, caseInsensitive: folds })) continue;
        any = true;
        if (route.method === 'ALL') declaration.all = true;
        else declaration.methods.add(route.method);
      }
    }
    if (any) matched.push(declaration);
  }
  if (matched.length === 0) return 'unmatched';
  return {
    allows: (method) => matched.every((d) => modelAllows(d, method)),
    declaredByAll: (method) => matched.every((d) => d.methods.has(method) || d.all),
  };
}

/** What the routes say of a path over every origin reading that matches it. */
export interface ModelReading {
  readonly allows: (method: string) => boolean;
  /** Every matching reading has a route for `method` (an OPTIONS route: the origin answers OPTIONS). */
  readonly declaredByAll: (method: string) => boolean;
}

/**
 * A request aimed at one of `routes`: its pattern filled with words, some
 * segments respelled. Random paths rarely match a random table; these do, or
 * nearly, which is where the readings disagree.
 */
export function requestFor(routes: ModelRoute[]): fc.Arbitrary<ModelRequest> {
  return fc
    .record({
      route: fc.nat(routes.length - 1),
      fills: fc.array(fc.constantFrom(...WORDS, 'new', 'x'), { minLength: 8, maxLength: 8 }),
      spellings: fc.array(fc.option(fc.constantFrom(...SPELLINGS), { freq: 2 }), { minLength: 8, maxLength: 8 }),
      n: fc.nat(10),
      base: request,
    })
    .map(({ route, fills, spellings, n, base }) => {
      const words = (routes[route] as ModelRoute).segments.flatMap((segment, i) => {
        if (segment.kind === 'literal') return [segment.value];
        if (segment.kind === 'optional' || segment.kind === 'wildcard') return i % 2 ? [] : [fills[i] as string];
        return [fills[i] as string];
      });
      const path = `/${words.map((w, i) => (spellings[i] ? spell(w, spellings[i], n) : w)).join('/')}`;
      const query = base.target.indexOf('?');
      return { ...base, target: query === -1 ? path : path + base.target.slice(query) };
    });
}
