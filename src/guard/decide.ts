/**
 * The decision, as a pure function: (method map, request facts, config) →
 * what to do. No I/O, no Request bodies: unit-tested without HTTP.
 */

import type { Config } from './config.ts';
import { HOP_HEADER } from './http/loop.ts';
import type { MethodMap } from './map/method-map.ts';
import { allowedMethods, allows, type Declared, declares, isMethodToken } from './map/methods.ts';
import { canonicalPath } from './request/canonical.ts';
import { contentFraming, NO_CONTENT_METHODS } from './request/content.ts';
import { methodOverrides } from './request/override.ts';
import type { RequestTarget } from './request/target.ts';

export interface RequestFacts {
  readonly method: string;
  /** A URL, or the request target read from one (request/target.ts). */
  readonly url: RequestTarget;
  readonly headers: Headers;
}

export type Decision =
  /** Allowed (or unmatched and forwarded): run the router's handlers, forward if none answers. */
  | {
      readonly action: 'pass';
      readonly path: string;
      /** The method the router's handlers see (GET for a HEAD only GET declares). */
      readonly handlerMethod: string;
      /** The path matched no route (forwarded by the unmatched policy). */
      readonly unmatched: boolean;
      readonly allow: readonly string[] | null;
      readonly routes: readonly string[];
    }
  /** OPTIONS that no route declares: 204 + Allow at the edge. */
  | {
      readonly action: 'options';
      readonly path: string;
      readonly allow: readonly string[];
      readonly routes: readonly string[];
    }
  /** CORS preflight on a declared path: answered at the edge, never forwarded. */
  | {
      readonly action: 'preflight';
      readonly path: string;
      readonly allow: readonly string[];
      readonly requestedMethod: string;
      readonly routes: readonly string[];
    }
  | {
      readonly action: 'refuse';
      readonly status: 400 | 404 | 405 | 508;
      readonly detail: string;
      readonly path: string;
      /** Set on a 405: Allow(U). */
      readonly allow?: readonly string[];
      /** Set on a 405: the patterns of the routes that matched. */
      readonly routes?: readonly string[];
    };

export function decide(map: MethodMap, request: RequestFacts, config: Config): Decision {
  const rawPath = request.url.pathname;
  if (request.headers.has(HOP_HEADER)) {
    return refuse(
      508,
      rawPath,
      'this request was already forwarded by method-guard: the origin points back at the guard (set ORIGIN)',
    );
  }
  const canonical = canonicalPath(rawPath, config);
  if (!canonical.ok) return refuse(400, rawPath, `ambiguous path refused: ${canonical.reason}`);
  const { path, key } = canonical;

  // With STRIP_METHOD_OVERRIDE the origin never sees overrides, so they cannot smuggle anything.
  const overrides = config.stripMethodOverride ? [] : methodOverrides(request.headers, request.url.search);
  for (const o of overrides) {
    if (!isMethodToken(o.value))
      return refuse(400, path, `${o.source} is not a method name: ${JSON.stringify(o.value)}`);
  }
  // fetch() cannot forward it, and an origin that reads it anyway is a request-smuggling path.
  const framing = NO_CONTENT_METHODS.has(request.method) ? contentFraming(request.headers) : null;
  if (framing) return refuse(400, path, `a ${request.method} request cannot carry content (${framing})`);

  const declared = map.lookup(key);
  const { method } = request;
  if (declared === null) {
    if (config.unmatched === '404') return refuse(404, path, `no route matches ${path}`);
    return { action: 'pass', path, handlerMethod: method, unmatched: true, allow: null, routes: [] };
  }

  const allow = allowedMethods(declared);
  // The patterns that matched: what logs and counters name instead of the raw path.
  const routes = declared.patterns ?? [];
  if (config.cors && method === 'OPTIONS' && request.headers.has('origin')) {
    const requestedMethod = request.headers.get('access-control-request-method');
    if (requestedMethod !== null) return { action: 'preflight', path, allow, requestedMethod, routes };
  }
  if (!allows(declared, method)) return refuse405(path, allow, routes, `${method} is not allowed on ${path}`);
  for (const o of overrides) {
    const overridden = o.value.toUpperCase();
    if (!allows(declared, overridden)) {
      return refuse405(path, allow, routes, `${o.source}: ${overridden} is not allowed on ${path}`);
    }
  }
  if (method === 'OPTIONS' && !declares(declared, 'OPTIONS')) return { action: 'options', path, allow, routes };
  return { action: 'pass', path, handlerMethod: handlerMethod(declared, method), unmatched: false, allow, routes };
}

/** RFC 9110 §9.3.2: HEAD is GET without the body, so a GET handler answers it. */
function handlerMethod(declared: Declared, method: string): string {
  return method === 'HEAD' && !declares(declared, 'HEAD') ? 'GET' : method;
}

function refuse(status: 400 | 404 | 508, path: string, detail: string): Decision {
  return { action: 'refuse', status, path, detail };
}

function refuse405(path: string, allow: readonly string[], routes: readonly string[], detail: string): Decision {
  return { action: 'refuse', status: 405, path, detail, allow, routes };
}
