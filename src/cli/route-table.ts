/**
 * The route table and route lint behind `npm run routes`: pure analysis of an
 * itty router's `routes`, never part of the Worker bundle.
 *
 * Nothing here runs a handler (handlers may have side effects). What a route does
 * is read from its data: `[METHOD, RegExp, handlers, path]`. A route with handlers
 * "answers at the edge", though a handler that returns nothing still lets the
 * request through to the origin, so the lint never claims a handler always answers.
 *
 * Which paths a pattern matches is checked on sample paths built from the pattern
 * (each `:param`, `:param+`, `:param?` and `*` filled in several ways), passed
 * through the same URL parsing, canonical path and method map the guard uses.
 * Findings that rest on samples ("covers") are warnings, never errors.
 */
import { AutoRouter as AutoRouterFromIndex, type RouteEntry } from 'itty-router';
import { AutoRouter } from 'itty-router/AutoRouter';
import { type Config, parseConfig } from '../guard/config.ts';
import { matchRoutes } from '../guard/decide.ts';
import { compileMethodMap, type MethodMap, type MethodMapOptions } from '../guard/map/method-map.ts';
import {
  allowedMethods,
  isMethodToken,
  NEVER_IMPLIED_BY_ALL,
  sortMethods,
  WORKER_METHODS,
} from '../guard/map/methods.ts';
import { canonicalPath } from '../guard/request/canonical.ts';
import { middleware } from '../guard/site-router.ts';

/** What the lint reads from a router: itty's own fields. */
export interface RouterLike {
  readonly routes: readonly RouteEntry[];
  readonly [key: string]: unknown;
}

export type Severity = 'error' | 'warning';

export type Rule =
  | 'all-subtree'
  | 'auto-router'
  | 'catch-all'
  | 'duplicate'
  | 'never-matches'
  | 'no-routes'
  | 'param-syntax'
  | 'profile-reading'
  | 'redundant'
  | 'regex-syntax'
  | 'shadowed'
  | 'unreachable-method';

export interface Finding {
  readonly severity: Severity;
  readonly rule: Rule;
  /** 1-based position in `router.routes`, when the finding is about one route. */
  readonly route?: number;
  readonly message: string;
}

export interface TableRow {
  readonly pattern: string;
  /** Allow(U) on every path this pattern matches (null: no sample path matches the pattern). */
  readonly allow: readonly string[] | null;
  /** Methods allowed on only some of its paths, where a narrower pattern adds them. */
  readonly sometimes: readonly string[];
  /** Declared methods with a handler at the edge (`ALL` for an `all` route); a handler may still fall through. */
  readonly edge: readonly string[];
  /** Declared methods no handler answers: forwarded to the origin. */
  readonly forwarded: readonly string[];
}

export interface RouteSummary {
  readonly index: number;
  readonly method: string;
  readonly pattern: string;
  readonly regexp: string;
  readonly handlers: number;
}

export interface RouteReport {
  readonly routes: readonly RouteSummary[];
  readonly table: readonly TableRow[];
  /** Middleware that runs at the edge on every request (`Router({ before, finally })`). */
  readonly middleware: { readonly before: number; readonly finally: number };
  /** ORIGIN_PROFILE the table was read under (readings of the path: docs/readings.md). */
  readonly profile: readonly string[];
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
}

/** itty's pattern tokens: `:name`, `:name+` (greedy), `:name?` (optional), `*`. */
const TOKEN = /(\/?\.?):(\w+)([+?]?)|\*/g;
/** Outside its tokens, itty copies a pattern into a RegExp as is: these are regex syntax there. */
const REGEX_SYNTAX = /[+?()[\]{}|^$\\]/;
/**
 * `\xHH` is one character to the RegExp and nothing to itty: the only regex syntax
 * a pattern can use and still be checked (the OpenAPI import writes `*`, `:` and a
 * dot before a parameter this way).
 */
const HEX_ESCAPE = /\\x([0-9a-fA-F]{2})/g;

interface Fill {
  readonly param: (name: string) => string;
  readonly greedy: (name: string) => string;
  readonly optional: boolean;
  readonly star: string;
}

/** Each fill probes an edge of the tokens (empty, several segments, dots); messages quote the first. */
const FILLS: readonly Fill[] = [
  { param: (n) => `~${n}~`, greedy: (n) => `~${n}~`, optional: true, star: '~rest~' },
  { param: (n) => `~${n}~`, greedy: (n) => `~${n}~/~${n}~`, optional: false, star: '' },
  {
    param: (n) => `~${n}~.~${n}~`,
    greedy: (n) => `~${n}~/~${n}~.~${n}~`,
    optional: true,
    star: '~rest~/~rest~.~rest~',
  },
];

/** Paths any catch-all must match. */
const PROBES = ['/', '/~a~', '/~a~/~b~', '/~a~/~b~.~c~'];

function fillPattern(pattern: string, fill: Fill): string {
  return pattern
    .replace(TOKEN, (_whole, prefix: string | undefined, name: string | undefined, mod: string) => {
      if (name === undefined) return fill.star;
      if (mod === '?' && !fill.optional) return '';
      return `${prefix}${mod === '+' ? fill.greedy(name) : fill.param(name)}`;
    })
    .replace(HEX_ESCAPE, (_whole, code: string) => String.fromCharCode(Number.parseInt(code, 16)));
}

/** Paths a pattern stands for, one per way of filling its tokens (no regex syntax but `\xHH`). */
export function samplePaths(pattern: string): string[] {
  return [...new Set(FILLS.map((fill) => fillPattern(pattern, fill)))];
}

export type RequestKey = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly reason: string };

/** What the method map sees for a request to `path`: workerd's URL parsing, then the guard's canonical path. */
export function requestKey(path: string): RequestKey {
  const url = new URL(`http://guard.invalid${path.startsWith('/') ? '' : '/'}${path}`);
  const canonical = canonicalPath(url.pathname);
  return canonical.ok ? { ok: true, key: canonical.path } : { ok: false, reason: canonical.reason };
}

export interface Route {
  readonly index: number;
  readonly method: string;
  readonly pattern: string;
  /** itty's RegExp source. */
  readonly regexp: string;
  /** The source with group names removed: equal shapes match the same paths. */
  readonly shape: string;
  /** The RegExp's source and flags: routes with equal ones match the same paths. */
  readonly matcher: string;
  readonly handlers: number;
  readonly hasHandlers: boolean;
  readonly map: MethodMap;
  /** Sample keys this route matches; empty when none does. */
  readonly keys: readonly string[];
  /** False for patterns with regex syntax: their samples say nothing. */
  readonly checkable: boolean;
  /** An `all` route matching every path. */
  readonly catchAll: boolean;
}

function routeLabel(route: Pick<Route, 'index' | 'method' | 'pattern'>): string {
  return `#${route.index} ${route.method.toLowerCase()}('${route.pattern}')`;
}

const isWorkerMethod = (method: string) => (WORKER_METHODS as readonly string[]).includes(method);

/** Does a route declaring `outer` also declare `inner`? (`all` means what `allowedMethods` makes of it.) */
function methodCovers(outer: string, inner: string): boolean {
  return outer === inner || (outer === 'ALL' && isWorkerMethod(inner) && !NEVER_IMPLIED_BY_ALL.has(inner));
}

/** Every sample path of `inner` is matched by `outer`. */
function patternCovers(outer: Route, inner: Route): boolean {
  return outer.checkable && inner.keys.length > 0 && inner.keys.every((key) => outer.map.lookup(key) !== null);
}

/** AutoRouter's `missing` wrapper in `finally`, in the shape its minified source has in every itty build. */
function codeShape(fn: unknown): string {
  return String(fn).replace(/(?<![.\w$])[A-Za-z_$][\w$]*/g, '_');
}
const AUTO_ROUTER_MISSING = new Set([AutoRouter, AutoRouterFromIndex].map((make) => codeShape(make().finally?.[0])));

function isAutoRouter(router: RouterLike): boolean {
  const first = middleware(router, 'finally')[0];
  return (
    (typeof first === 'function' && AUTO_ROUTER_MISSING.has(codeShape(first))) ||
    Object.hasOwn(router, 'missing') ||
    Object.hasOwn(router, 'format')
  );
}

function toRoute(entry: RouteEntry, position: number, options: MethodMapOptions): Route {
  const [method, regexp, handlers, path] = entry;
  const pattern = path ?? String(regexp);
  const checkable = path !== undefined && !REGEX_SYNTAX.test(pattern.replace(TOKEN, '').replace(HEX_ESCAPE, ''));
  const map = compileMethodMap([entry], options);
  const keys: string[] = [];
  if (checkable) {
    for (const fill of FILLS) {
      const request = requestKey(fillPattern(pattern, fill));
      if (request.ok && map.lookup(request.key) !== null && !keys.includes(request.key)) keys.push(request.key);
    }
  }
  const upper = String(method).toUpperCase();
  const catchAll =
    upper === 'ALL' &&
    checkable &&
    PROBES.every((probe) => {
      const request = requestKey(probe);
      return request.ok && map.lookup(request.key) !== null;
    });
  return {
    index: position + 1,
    method: upper,
    pattern,
    regexp: regexp.source,
    shape: regexp.source.replace(/\?<\w+>/g, ''),
    matcher: String(regexp),
    handlers: handlers.length,
    hasHandlers: handlers.length > 0,
    map,
    keys,
    checkable,
    catchAll,
  };
}

/** A pattern ending in a wildcard or greedy parameter: it matches a whole subtree. */
const SUBTREE = /\/(\*|:\w+\+\??)$/;

/** Parameter spellings of other routers (`{id}`, `?q=`), which itty reads as regex syntax or never matches. */
function paramSyntax(pattern: string): string | undefined {
  const braces = /\{(\w+)\}/.exec(pattern);
  if (braces) {
    const fixed = pattern.replace(/\{(\w+)\}/g, ':$1');
    return `itty reads {${braces[1]}} as regex syntax, not a parameter: did you mean '${fixed}' (:${braces[1]})?`;
  }
  const query = /\?(\w+)=/.exec(pattern);
  if (query) {
    const path = pattern.slice(0, query.index);
    return (
      `a pattern matches the path only, never the query string: did you mean '${path.replace(/\/$/, '')}/:${query[1]}', ` +
      `or '${path || '/'}' reading request.query.${query[1]}?`
    );
  }
  return undefined;
}

function neverMatchesReason(route: Route): string {
  const sample = fillPattern(route.pattern, FILLS[0] as Fill);
  const request = requestKey(sample);
  if (!request.ok) return `the guard answers 400 to every such path (${request.reason}) before any route is asked`;
  if (!route.pattern.startsWith('/') && !route.pattern.startsWith('*'))
    return 'it does not start with "/", and every path the router sees does';
  return `a request for ${sample} reaches the router as ${request.key}, which the pattern does not match`;
}

/**
 * Which routes a route's pair checks and a table row compare with. Asking every
 * route of every route costs n² lookups (GitHub's 1,223 routes: most of a
 * second); `indexedPairing` asks the table's own map once per sample path,
 * `pairwisePairing` asks every route, as the lint first did (its reference).
 */
export interface Pairing {
  /** The routes a sample path matches, in rule order. */
  matching(key: string): readonly Route[];
  /** In rule order, a superset of the routes `route` can repeat or lie under: same method and shape, or matching its samples. */
  pairsOf(route: Route): readonly Route[];
  /** The sample paths of every route, in rule order, that a route of `pattern` matches (repeats kept). */
  keysInside(pattern: string): readonly string[];
}

/** Reference: every route is compared with every other. */
export function pairwisePairing(routes: readonly Route[]): Pairing {
  return {
    matching: (key) => routes.filter((r) => r.map.lookup(key) !== null),
    pairsOf: () => routes,
    keysInside(pattern) {
      const own = routes.filter((r) => r.pattern === pattern);
      return routes.flatMap((r) => r.keys).filter((key) => own.some((r) => r.map.lookup(key) !== null));
    },
  };
}

/**
 * A route matches a sample path exactly when the table's map names its pattern
 * for it, unless routes spelled alike have RegExps of their own (custom entries):
 * those are asked one by one. A route can repeat only the first route of its
 * method and shape, and lie under only routes that match its first sample.
 */
function indexedPairing(routes: readonly Route[], map: MethodMap): Pairing {
  const byPattern = new Map<string, Route[]>();
  const firstAlike = new Map<string, Route>();
  for (const route of routes) {
    const spelled = byPattern.get(route.pattern);
    if (spelled) spelled.push(route);
    else byPattern.set(route.pattern, [route]);
    const alike = `${route.method} ${route.shape}`;
    if (!firstAlike.has(alike)) firstAlike.set(alike, route);
  }
  const oneRegExp = new Set(
    [...byPattern].filter(([, spelled]) => spelled.every((r) => r.matcher === spelled[0]?.matcher)).map(([p]) => p),
  );
  const cache = new Map<string, readonly Route[]>();
  const matching = (key: string): readonly Route[] => {
    let found = cache.get(key);
    if (found) return found;
    const matched: Route[] = [];
    for (const pattern of map.lookup(key)?.patterns ?? []) {
      const spelled = byPattern.get(pattern) ?? [];
      matched.push(...(oneRegExp.has(pattern) ? spelled : spelled.filter((r) => r.map.lookup(key) !== null)));
    }
    found = matched.sort((a, b) => a.index - b.index);
    cache.set(key, found);
    return found;
  };
  /** Walked once from each sample path to the patterns it matches, on first use. */
  let inside: Map<string, string[]> | null = null;
  const keysInside = (pattern: string): readonly string[] => {
    if (!inside) {
      inside = new Map();
      for (const route of routes) {
        for (const key of route.keys) {
          for (const matched of matching(key)) {
            const keys = inside.get(matched.pattern);
            if (keys) keys.push(key);
            else inside.set(matched.pattern, [key]);
          }
        }
      }
    }
    return inside.get(pattern) ?? [];
  };
  return {
    matching,
    keysInside,
    pairsOf(route) {
      const first = route.keys[0];
      const pairs = first === undefined ? [] : [...matching(first)];
      const alike = firstAlike.get(`${route.method} ${route.shape}`);
      if (alike && !pairs.includes(alike)) pairs.push(alike);
      return pairs.sort((a, b) => a.index - b.index);
    },
  };
}

function lintRoute(route: Route, pairing: Pairing): Finding[] {
  const findings: Finding[] = [];
  const at = (severity: Severity, rule: Rule, message: string) =>
    findings.push({ severity, rule, route: route.index, message: `${routeLabel(route)}: ${message}` });
  const { method } = route;

  if (method !== 'ALL' && !(isMethodToken(method) && isWorkerMethod(method))) {
    at('error', 'unreachable-method', `workerd never passes ${method} requests to a Worker, so this route never runs`);
    return findings;
  }
  const misspelled = paramSyntax(route.pattern);
  if (misspelled) {
    at('error', 'param-syntax', misspelled);
    return findings;
  }
  if (!route.checkable) {
    at(
      'warning',
      'regex-syntax',
      'itty copies characters such as + ? ( ) [ ] | ^ $ \\ into its RegExp as regex syntax, not literally; this pattern cannot be checked',
    );
    return findings;
  }
  if (route.keys.length === 0) {
    at('error', 'never-matches', `this pattern can never match: ${neverMatchesReason(route)}`);
    return findings;
  }
  if (route.catchAll) {
    at(
      'error',
      'catch-all',
      'every path now allows every method, so the guard can never answer 405 and UNMATCHED never applies. ' +
        'For middleware that runs on every request use Router({ before: [middleware] }), which declares no methods; ' +
        'paths no route declares are already forwarded (UNMATCHED=forward)',
    );
  }

  if (method === 'ALL' && route.hasHandlers && !route.catchAll && SUBTREE.test(route.pattern)) {
    // The usual itty auth idiom: meant as middleware, it also declares every method under the prefix.
    // (Without handlers, all() on a subtree is a deliberate "any method goes here".)
    at(
      'error',
      'all-subtree',
      `allows every method on every path under ${route.pattern.replace(SUBTREE, '') || '/'}, so the guard never answers 405 there. ` +
        'To run a handler (auth, logging) on a subtree, use `before` middleware that tests the path, which declares ' +
        `no methods: Router({ before: [under('${route.pattern.replace(SUBTREE, '') || '/'}', handler)] }) with under from ` +
        "'method-guard'; and declare each method with its own route (get, post, …)",
    );
  }

  const routes = pairing.pairsOf(route);
  for (const other of routes) {
    if (other.index === route.index) continue;
    const earlier = other.index < route.index;
    if (earlier && other.method === method && other.shape === route.shape) {
      if (other.hasHandlers && route.hasHandlers) {
        at(
          'warning',
          'shadowed',
          `repeats ${routeLabel(other)}; its handlers run only when those of #${other.index} return nothing ` +
            `(one route with both handlers says the same: .${method.toLowerCase()}(path, first, second))`,
        );
      } else {
        at(
          'error',
          'duplicate',
          `repeats ${routeLabel(other)}; ${route.hasHandlers ? `#${other.index}` : 'this one'} has no handlers, so it changes nothing: remove it`,
        );
      }
      return findings;
    }
  }

  for (const other of routes) {
    // Behind a catch-all every route looks redundant; the catch-all is the finding.
    if (other.index === route.index || other.shape === route.shape || other.catchAll) continue;
    if (!methodCovers(other.method, method) || !patternCovers(other, route)) continue;
    // Two patterns that match the same paths: report the later one only.
    if (other.index > route.index && methodCovers(method, other.method) && patternCovers(route, other)) continue;
    if (!route.hasHandlers) {
      at(
        'warning',
        'redundant',
        `adds nothing: ${routeLabel(other)} already allows ${method === 'ALL' ? 'every method' : method} on every path this pattern matches`,
      );
      return findings;
    }
    if (other.hasHandlers && other.index < route.index) {
      at('warning', 'shadowed', `its handlers run only when those of ${routeLabel(other)} return nothing for the path`);
      return findings;
    }
  }
  return findings;
}

function tableRow(pattern: string, routes: readonly Route[], map: MethodMap, pairing: Pairing): TableRow {
  // This pattern's sample paths, and those of every other pattern that fall inside it.
  const own = routes.filter((r) => r.pattern === pattern);
  const keys = [...new Set([...own.flatMap((r) => r.keys), ...pairing.keysInside(pattern)])];
  const declarations = keys.map((key) => map.lookup(key)).filter((d) => d !== null);
  if (declarations.length === 0) return { pattern, allow: null, sometimes: [], edge: [], forwarded: [] };
  // A narrower pattern can add methods on some of this pattern's paths only.
  const allows = declarations.map((declared) => allowedMethods(declared));
  const always = allows.reduce((common, allow) => common.filter((m) => allow.includes(m)));
  const sometimes = sortMethods(allows.flat()).filter((m) => !always.includes(m));

  const matching = new Set(keys.flatMap((key) => pairing.matching(key)));
  const declared = new Set(declarations.flatMap((d) => [...d.methods, ...(d.all ? ['ALL'] : [])]));
  const edge: string[] = [];
  const forwarded: string[] = [];
  for (const method of [
    ...sortMethods([...declared].filter((m) => m !== 'ALL')),
    ...(declared.has('ALL') ? ['ALL'] : []),
  ]) {
    const answered = [...matching].some((r) => r.hasHandlers && methodCovers(r.method, method));
    (answered ? edge : forwarded).push(method);
  }
  return { pattern, allow: always, sometimes, edge, forwarded };
}

/** The route table and every lint finding for a router, with the guard's default path options. */
/**
 * Spellings the profile reads as more than the exact path, where that changes
 * Allow (the same `matchRoutes` the guard decides with): each route's sample
 * paths, and each with `.json` appended. E.g. `/photos/new.json` beside
 * `/photos/:id` under `rails`, which Rails routes to `/photos/new`.
 */
function profileReadings(routes: readonly Route[], map: MethodMap, options: MethodMapOptions): Finding[] {
  if (!('originProfile' in options)) return [];
  const { originProfile } = options as Config;
  const exact = parseConfig({ ORIGIN_PROFILE: 'strict' }).originProfile;
  const findings: Finding[] = [];
  for (const route of routes) {
    for (const key of route.keys.flatMap((k) => [k, `${k}.json`])) {
      const read = matchRoutes(map, key, originProfile);
      const alone = matchRoutes(map, key, exact);
      if (!read.ok || !alone.ok || read.allow === null || alone.allow === null) continue;
      if (read.allow.join() === alone.allow.join()) continue;
      const forms = read.readings.flatMap((r) => r.forms.map((f) => f.path));
      findings.push({
        severity: 'warning',
        rule: 'profile-reading',
        route: route.index,
        message: `${routeLabel(route)}: under ORIGIN_PROFILE=${originProfile.names.join(',')}, ${key} is read as ${[...new Set(forms)].join(' or ')}: Allow there is ${read.allow.join(', ')}, not the exact path's ${alone.allow.join(', ')}`,
      });
      break;
    }
  }
  return findings;
}

export function analyzeRouter(
  router: RouterLike,
  options: MethodMapOptions = parseConfig({}),
  pair: (routes: readonly Route[], map: MethodMap) => Pairing = indexedPairing,
): RouteReport {
  const routes = router.routes.map((entry, i) => toRoute(entry, i, options));
  const map = compileMethodMap(router.routes, options);
  const pairing = pair(routes, map);
  const findings: Finding[] = [];
  if (isAutoRouter(router)) {
    // Right for an app that answers everything itself; wrong for a guard in front of an origin.
    findings.push({
      severity: 'warning',
      rule: 'auto-router',
      message:
        'the router is an AutoRouter: its `missing` handler (404 by default) answers every request no route answers, ' +
        'so the guard forwards nothing to ORIGIN and only refuses wrong methods (405 + Allow) in front of the app. ' +
        "Right for an app that answers everything itself; in front of an origin use itty's Router() (or IttyRouter())",
    });
  }
  if (routes.length === 0) {
    findings.push({
      severity: 'warning',
      rule: 'no-routes',
      message: 'the router declares no routes: every path is unmatched and the guard refuses nothing',
    });
  }
  for (const route of routes) findings.push(...lintRoute(route, pairing));
  findings.push(...profileReadings(routes, map, options));

  const patterns = [...new Set(routes.map((r) => r.pattern))];
  return {
    routes: routes.map(({ index, method, pattern, regexp, handlers }) => ({
      index,
      method,
      pattern,
      regexp,
      handlers,
    })),
    table: patterns.map((pattern) => tableRow(pattern, routes, map, pairing)),
    middleware: { before: middleware(router, 'before').length, finally: middleware(router, 'finally').length },
    profile: 'originProfile' in options ? (options as Config).originProfile.names : ['strict'],
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

/** What an `all` route allows would be ~27 methods: name the few it leaves out instead. */
function methodList(methods: readonly string[]): string {
  const implied = WORKER_METHODS.filter((m) => !NEVER_IMPLIED_BY_ALL.has(m));
  if (!implied.every((m) => methods.includes(m))) return methods.join(', ');
  const missing = WORKER_METHODS.filter((m) => !methods.includes(m));
  const extra = methods.filter((m) => !isWorkerMethod(m));
  return `${missing.length ? `every method but ${missing.join(', ')}` : 'every method'}${extra.map((m) => `, ${m}`).join('')}`;
}

function allowCell(row: TableRow): string {
  if (row.allow === null) return '(no sample path matches)';
  const some = row.sometimes.length ? ` (+ ${methodList(row.sometimes)} on some paths)` : '';
  return `${methodList(row.allow)}${some}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The unmatched-path settings of a wrangler config, for the table's footer. */
export interface UnmatchedPolicy {
  /** The config file they were read from. */
  readonly source: string;
  readonly unmatched: 'forward' | '404';
  readonly unmatched404: readonly string[];
}

function unmatchedLine(policy: UnmatchedPolicy | undefined): string {
  if (policy === undefined) return 'Paths no pattern matches follow UNMATCHED (forward, or 404).';
  const elsewhere = policy.unmatched === '404' ? 'answered 404' : 'forwarded';
  if (policy.unmatched404.length === 0) {
    return `Paths no pattern matches are ${elsewhere} (UNMATCHED=${policy.unmatched} in ${policy.source}).`;
  }
  return (
    `Paths no pattern matches: 404 under ${policy.unmatched404.join(', ')} (UNMATCHED_404), ` +
    `${elsewhere} elsewhere (UNMATCHED=${policy.unmatched}), as ${policy.source} sets them.`
  );
}

/** The report as text for a terminal; `policy`, when known, is what becomes of paths no pattern matches. */
export function formatReport(report: RouteReport, source: string, policy?: UnmatchedPolicy): string {
  const header = ['PATTERN', 'ALLOW', 'EDGE HANDLER', 'FORWARDED'];
  const cells = report.table.map((row) => [
    row.pattern === '' ? '/' : row.pattern,
    allowCell(row),
    row.edge.join(', ') || '-',
    row.forwarded.join(', ') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();

  const out = [
    `${source}: ${plural(report.routes.length, 'route')}, ${plural(report.table.length, 'pattern')}, read as ORIGIN_PROFILE=${report.profile.join(',')} reads paths (docs/readings.md)`,
    '',
    line(header),
    ...cells.map(line),
    '',
    'EDGE HANDLER: a handler runs in the Worker; if it returns nothing, the request is forwarded as well.',
    'HEAD follows GET. OPTIONS that no route declares is answered at the edge, with Allow.',
    unmatchedLine(policy),
  ];
  const { before, finally: after } = report.middleware;
  if (before || after) {
    out.push(`Middleware on every request: ${before} before, ${after} finally.`);
  }
  out.push('');
  for (const f of report.findings) out.push(`${f.severity}[${f.rule}] ${f.message}`);
  out.push(
    report.findings.length === 0
      ? 'No problems found.'
      : `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}.`,
  );
  return `${out.join('\n')}\n`;
}
