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

function routeRegExp(match: RegExp, options: MethodMapOptions): RegExp {
  let source = match.source;
  if (options.strictTrailingSlash && source.endsWith(ITTY_TAIL)) source = `${source.slice(0, -ITTY_TAIL.length)}$`;
  return new RegExp(source, options.caseInsensitive ? 'i' : '');
}

/** Reference implementation: the same linear regex scan itty dispatches with. */
export function scanMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  const compiled = routes.map(([method, match]) => ({
    method: String(method).toUpperCase(),
    regexp: routeRegExp(match, options),
  }));
  return {
    lookup(key) {
      // Strict patterns end in `$`, not `/*$`; the root "/" is then the empty path.
      if (options.strictTrailingSlash && key === '/') key = '';
      const methods = new Set<string>();
      let all = false;
      let matched = false;
      for (const route of compiled) {
        if (!route.regexp.test(key)) continue;
        matched = true;
        if (route.method === 'ALL') all = true;
        else methods.add(route.method);
      }
      return matched ? { methods, all } : null;
    },
  };
}
