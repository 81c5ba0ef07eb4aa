/**
 * HTTP method sets and the canonical `Allow` order.
 *
 * Data first: the order is a list, and every rule about implied methods lives here
 * so dispatch, 405s, OPTIONS and CORS cannot disagree (cf. Go's `matchingMethods`).
 */

/** Canonical order for `Allow`: these first, then any other method A–Z. */
export const CANONICAL_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Every method workerd hands to a Worker's fetch handler (it answers 501 itself to
 * anything else, and sends CONNECT to a `connect` handler, never to fetch).
 * An `all` route allows each of them except TRACE and CONNECT, so `Allow` can list
 * exactly what an `all` path accepts and the 405 invariant holds there too.
 */
export const WORKER_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'QUERY',
  'ACL',
  'BAN',
  'CHECKOUT',
  'COPY',
  'LOCK',
  'MERGE',
  'MKACTIVITY',
  'MKCOL',
  'MOVE',
  'MSEARCH',
  'NOTIFY',
  'PROPFIND',
  'PROPPATCH',
  'PURGE',
  'REPORT',
  'SEARCH',
  'SUBSCRIBE',
  'UNLOCK',
  'UNSUBSCRIBE',
] as const;

/** RFC 9110 §9.3.8 / cross-site tracing: only an explicit route may allow these. */
export const NEVER_IMPLIED_BY_ALL: ReadonlySet<string> = new Set(['TRACE', 'CONNECT']);

/** What the routes matching one path declare. */
export interface Declared {
  /** Methods named by a matching route (uppercase), `ALL` excluded. */
  readonly methods: ReadonlySet<string>;
  /** A matching `all` route exists. */
  readonly all: boolean;
  /**
   * The matching routes' patterns as written in the rules (itty keeps each route's
   * path as the 4th element of its entry): what logs and counters name instead of
   * the raw path, whose cardinality a client controls.
   */
  readonly patterns?: readonly string[];
}

/**
 * What several routes (or the forms of one origin's reading) declare together.
 * `byOrder`: patterns by their first position in the rules (patternOrder), as the scan lists them.
 */
export function union(declarations: readonly Declared[], byOrder?: (a: string, b: string) => number): Declared {
  const methods = new Set<string>();
  const patterns = new Set<string>();
  let all = false;
  for (const declared of declarations) {
    for (const method of declared.methods) methods.add(method);
    for (const pattern of declared.patterns ?? []) patterns.add(pattern);
    all ||= declared.all;
  }
  return { methods, all, patterns: byOrder ? [...patterns].sort(byOrder) : [...patterns] };
}

/** RFC 9110 token: what a method name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isMethodToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Does this path (described by `declared`) allow `method`? */
export function allows(declared: Declared, method: string): boolean {
  if (declared.methods.has(method)) return true;
  if (method === 'OPTIONS') return true; // answered at the edge when not declared
  if (method === 'HEAD' && declared.methods.has('GET')) return true; // RFC 9110 §9.3.2
  return declared.all && !NEVER_IMPLIED_BY_ALL.has(method);
}

/** Is the method declared by a route (so a handler may answer it)? */
export function declares(declared: Declared, method: string): boolean {
  return declared.methods.has(method) || (declared.all && !NEVER_IMPLIED_BY_ALL.has(method));
}

/**
 * Allow(U) by declaration: a compiled map hands out the same Declared for a path
 * every time, so its Allow is sorted once (a union made per lookup is collected with it).
 */
const allowed = new WeakMap<Declared, readonly string[]>();

/** Allow(U): every method `allows` accepts, sorted canonically. */
export function allowedMethods(declared: Declared): readonly string[] {
  let allow = allowed.get(declared);
  if (!allow) {
    const set = new Set<string>(declared.methods);
    if (declared.all) for (const m of WORKER_METHODS) if (!NEVER_IMPLIED_BY_ALL.has(m)) set.add(m);
    if (set.has('GET')) set.add('HEAD');
    set.add('OPTIONS');
    allow = sortMethods(set);
    allowed.set(declared, allow);
  }
  return allow;
}

/** Allow(U) over several readings of U: the methods every one of them allows, in canonical order. */
export function commonAllow(declared: readonly Declared[]): readonly string[] {
  const first = allowedMethods(declared[0] as Declared);
  return declared.length === 1 ? first : first.filter((m) => declared.every((d) => allows(d, m)));
}

export function sortMethods(methods: Iterable<string>): string[] {
  const rank = (m: string) => {
    const i = (CANONICAL_ORDER as readonly string[]).indexOf(m);
    return i === -1 ? CANONICAL_ORDER.length : i;
  };
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The `Allow` header value: RFC 9110 §10.2.1, comma-separated, canonical order. */
export function allowHeader(methods: readonly string[]): string {
  return methods.join(', ');
}
