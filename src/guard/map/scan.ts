/**
 * The method map's interface and its reference implementation: which methods
 * the site's router declares for a path, by itty's own regex scan.
 *
 * Derived from `router.routes` (itty's own `[METHOD, RegExp, handlers, path]`
 * entries), so the router stays the single source of truth. Each lookup asks
 * every route, not only the first match: Allow(U) is the union over all of them.
 */
import type { RouteEntry } from 'itty-router';
import type { Declared } from './methods.ts';

export interface MethodMapOptions {
  readonly strictTrailingSlash: boolean;
  readonly caseInsensitive: boolean;
}

export interface MethodMap {
  /** The routes' declaration for a canonical match key, or null if no route matches it. */
  lookup(key: string): Declared | null;
}

/** itty ends every pattern with `/*$` (any trailing slashes); RegExp#source escapes the slash. */
const ITTY_TAIL = '\\/*$';

/**
 * A route's RegExp as itty tests it, its own flags kept (a custom entry's `i`
 * or `u` changes what it matches), `i` added for a case-insensitive origin;
 * not `g` nor `y`, which would make `test` resume where the last one stopped.
 */
function routeRegExp(match: RegExp, options: MethodMapOptions): RegExp {
  let source = match.source;
  if (options.strictTrailingSlash && source.endsWith(ITTY_TAIL)) source = `${source.slice(0, -ITTY_TAIL.length)}$`;
  let flags = match.flags.replace(/[gy]/g, '');
  if (options.caseInsensitive && !flags.includes('i')) flags += 'i';
  return new RegExp(source, flags);
}

/** A route's pattern as written; a custom `routes` entry without one is named by its RegExp. */
export function routePattern(path: string | undefined, match: RegExp): string {
  return path ?? String(match);
}

/**
 * Each pattern's first position in the rules: a lookup names its patterns in this
 * order, whichever of several routes spelled alike matched.
 */
export function patternOrder(routes: readonly RouteEntry[]): ReadonlyMap<string, number> {
  const order = new Map<string, number>();
  for (const [, match, , path] of routes) {
    const pattern = routePattern(path, match);
    if (!order.has(pattern)) order.set(pattern, order.size);
  }
  return order;
}

/** Reference implementation: the same linear regex scan itty dispatches with. */
export function scanMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  const compiled = routes.map(([method, match, , path]) => ({
    method: String(method).toUpperCase(),
    regexp: routeRegExp(match, options),
    pattern: routePattern(path, match),
  }));
  const order = patternOrder(routes);
  return {
    lookup(key) {
      // Strict patterns end in `$`, not `/*$`; the root "/" is then the empty path.
      if (options.strictTrailingSlash && key === '/') key = '';
      const methods = new Set<string>();
      const patterns = new Set<string>();
      let all = false;
      for (const route of compiled) {
        if (!route.regexp.test(key)) continue;
        patterns.add(route.pattern);
        if (route.method === 'ALL') all = true;
        else methods.add(route.method);
      }
      if (patterns.size === 0) return null;
      return { methods, all, patterns: [...patterns].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) };
    },
  };
}
