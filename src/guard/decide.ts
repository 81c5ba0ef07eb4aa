/**
 * The decision, as a pure function: (method map, request facts, config) →
 * what to do. No I/O, no Request bodies: unit-tested without HTTP.
 *
 * A request is read the ways its origin may read it (readings.ts, chosen by the
 * origin profile); each reading that matches a route must allow the method and
 * every override, so M ∈ Allow(U) ⇔ M U is not refused still holds with Allow(U)
 * the intersection over those readings. Handlers (src/routes.ts) and the origin
 * both get the one canonical path, the exact reading.
 */

import type { Config } from './config.ts';
import { guardId, loopIn } from './http/loop.ts';
import { maxForwards } from './http/max-forwards.ts';
import type { MethodMap } from './map/method-map.ts';
import { allows, commonAllow, type Declared, declares, isMethodToken, union } from './map/methods.ts';
import { canonicalPath } from './request/canonical.ts';
import { contentFraming, NO_CONTENT_METHODS } from './request/content.ts';
import { guardedHeaders, headersToStrip, methodOverrides, type Override } from './request/override.ts';
import type { OriginProfile } from './request/profiles.ts';
import { type OriginReading, type ReadForm, readPath } from './request/readings.ts';
import { isUnder } from './request/subtree.ts';
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
      /** Request headers the forward drops (rewrite headers; override headers with STRIP_METHOD_OVERRIDE). */
      readonly strip: readonly string[];
      /** The method the router's handlers see (GET for a HEAD only GET declares). */
      readonly handlerMethod: string;
      /** The path matched no route (forwarded by the unmatched policy). */
      readonly unmatched: boolean;
      readonly allow: readonly string[] | null;
      readonly routes: readonly string[];
    }
  /**
   * OPTIONS that no route declares, or with Max-Forwards: 0: 204 + Allow at the edge
   * (no Allow on a path no route matches: the origin's methods are unknown there).
   */
  | {
      readonly action: 'options';
      readonly path: string;
      readonly allow: readonly string[] | null;
      readonly routes: readonly string[];
    }
  /** TRACE with Max-Forwards: 0 where TRACE would be forwarded: reflected at the edge. */
  | { readonly action: 'trace'; readonly path: string; readonly routes: readonly string[] }
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
      readonly status: 400 | 404 | 405 | 413 | 508;
      readonly detail: string;
      readonly path: string;
      /** Set on a 405: Allow(U). */
      readonly allow?: readonly string[];
      /** Set on a 405: the patterns of the routes that matched. */
      readonly routes?: readonly string[];
    };

/** What the routes say about a path under the origin profile: every reading that matches one. */
export type RouteMatch =
  | {
      readonly ok: true;
      /** Per origin reading that matches a route: what its forms declare together, and the reading (same order). */
      readonly declared: readonly Declared[];
      readonly readings: readonly OriginReading[];
      /** Allow(U): what every matching reading allows; null when none matches. */
      readonly allow: readonly string[] | null;
      /** The patterns of the routes any matching reading matched, in rule order. */
      readonly routes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The one place Allow(U) is computed (the 405, OPTIONS, CORS preflights and
 * `npm run routes` all read it). One origin runs a route that matches any form
 * of its reading (union); the guard does not know which origin reads, so over
 * the readings that match a route, a method is allowed only if each allows it
 * (intersection). A reading that matches no route adds no constraint.
 */
export function matchRoutes(map: MethodMap, path: string, profile: OriginProfile): RouteMatch {
  // A path no reading touches is read as itself; folding it then matters only where the map says it may.
  const caseMatters = map.caseMatters && (profile.touches.test(path) || map.caseMattersAt(path));
  const read = readPath(path, profile.plans, caseMatters, profile.touches);
  if (!Array.isArray(read)) return { ok: false, reason: read.ambiguous };
  const declared: Declared[] = [];
  const readings: OriginReading[] = [];
  for (const reading of read) {
    const found = formsDeclare(map, reading.forms);
    if (found === null) continue;
    declared.push(found);
    readings.push(reading);
  }
  if (declared.length === 0) return { ok: true, declared, readings, allow: null, routes: [] };
  const routes = declared.length === 1 ? (declared[0]?.patterns ?? []) : (union(declared).patterns ?? []);
  return { ok: true, declared, readings, allow: commonAllow(declared), routes };
}

function formsDeclare(map: MethodMap, forms: readonly ReadForm[]): Declared | null {
  if (forms.length === 1) return map.lookup((forms[0] as ReadForm).path, forms[0]);
  const found: Declared[] = [];
  for (const form of forms) {
    const declared = map.lookup(form.path, form);
    if (declared) found.push(declared);
  }
  return found.length === 0 ? null : union(found);
}

export function decide(map: MethodMap, request: RequestFacts, config: Config): Decision {
  const rawPath = request.url.pathname;
  // A loop needs a forward. Report mode forwards whatever it decides, so it ends a loop
  // first; enforce forwards only what passes, and checks that in forwardChecks.
  const loop = config.mode === 'report' ? loopRefusal(request, config, rawPath) : null;
  if (loop) return loop;
  const canonical = canonicalPath(rawPath);
  if (!canonical.ok) return refuse(400, rawPath, `ambiguous path refused: ${canonical.reason}`);
  const { path } = canonical;
  const match = matchRoutes(map, path, config.originProfile);
  if (!match.ok) return refuse(400, path, `ambiguous path refused: ${match.reason}`);

  // fetch() cannot forward it, and an origin that reads it anyway is a request-smuggling path.
  const framing = NO_CONTENT_METHODS.has(request.method) ? contentFraming(request.headers) : null;
  if (framing) return refuse(400, path, `a ${request.method} request cannot carry content (${framing})`);

  const { declared, allow, routes } = match;
  const { method } = request;
  const forbidding = (m: string) => {
    const i = declared.findIndex((d) => !allows(d, m));
    return i === -1 ? null : (match.readings[i] as OriginReading);
  };
  // The request's own method first: its 405 needs no override header, and the pass
  // over the header names that finds them costs more than the rest of a 405 (request/override.ts).
  const refusedBy = allow && forbidding(method);
  if (refusedBy) return refuse405(path, allow, routes, `${method} is not allowed on ${readAs(path, refusedBy)}`);

  // RFC 9110 §7.6.2: with Max-Forwards: 0 the guard is the final recipient of a TRACE or OPTIONS.
  const lastHop = maxForwards(method, request.headers) === 0;
  if (allow === null) {
    const prefix = config.unmatched404.find((p) => isUnder(path, p));
    if (prefix !== undefined) {
      return {
        action: 'refuse',
        status: 404,
        path,
        detail: `no route matches ${path} (under ${prefix})`,
        routes: [prefix],
      };
    }
    if (config.unmatched === '404') return refuse(404, path, `no route matches ${path}`);
    if (lastHop)
      return method === 'OPTIONS'
        ? { action: 'options', path, allow: null, routes }
        : { action: 'trace', path, routes };
    const forwarded = forwardChecks(request, config, path);
    if ('action' in forwarded) return forwarded;
    return {
      action: 'pass',
      path,
      strip: forwarded.strip,
      handlerMethod: method,
      unmatched: true,
      allow: null,
      routes,
    };
  }

  if (config.cors && method === 'OPTIONS' && request.headers.has('origin')) {
    const requestedMethod = request.headers.get('access-control-request-method');
    if (requestedMethod !== null) return { action: 'preflight', path, allow, requestedMethod, routes };
  }
  // What the guard answers itself reaches no origin, so no override can smuggle a method into it.
  if (method === 'OPTIONS' && (lastHop || !declaredByAll(declared, 'OPTIONS')))
    return { action: 'options', path, allow, routes };
  if (method === 'TRACE' && lastHop) return { action: 'trace', path, routes };
  const forwarded = forwardChecks(request, config, path);
  if ('action' in forwarded) return forwarded;
  for (const o of forwarded.overrides) {
    const overridden = o.value.toUpperCase();
    const by = forbidding(overridden);
    if (by) return refuse405(path, allow, routes, `${o.source}: ${overridden} is not allowed on ${readAs(path, by)}`);
  }
  const handler = handlerMethod(declared, method);
  return { action: 'pass', path, strip: forwarded.strip, handlerMethod: handler, unmatched: false, allow, routes };
}

/** 508 for a request that has already passed through this guard (or too many): http/loop.ts. */
function loopRefusal(request: RequestFacts, config: Config, path: string): Decision | null {
  const loop = loopIn(request.headers.get('via'), guardId(config, request.headers));
  return loop ? refuse(508, path, `${loop} (check ORIGIN)`) : null;
}

/**
 * For a request that goes on to the origin: not a loop, the overrides it carries
 * (a 400 for one that names no method) and the headers the forward drops. Only
 * then: an answer the guard gives itself needs none of these reads, and finding
 * the overrides takes a pass over the header names (request/override.ts).
 */
function forwardChecks(
  request: RequestFacts,
  config: Config,
  path: string,
): { readonly overrides: readonly Override[]; readonly strip: readonly string[] } | Decision {
  const loop = config.mode === 'report' ? null : loopRefusal(request, config, path);
  if (loop) return loop;
  const guarded = guardedHeaders(request.headers);
  const strip = headersToStrip(guarded, config.stripMethodOverride);
  // With STRIP_METHOD_OVERRIDE the origin never sees overrides, so they cannot smuggle anything.
  if (config.stripMethodOverride) return { overrides: [], strip };
  const overrides = methodOverrides(request.headers, guarded, request.url.search, config.originProfile.overrides);
  for (const o of overrides) {
    if (!isMethodToken(o.value))
      return refuse(400, path, `${o.source} is not a method name: ${JSON.stringify(o.value)}`);
  }
  return { overrides, strip };
}

/** `/a.json`, or `/a.json (as rails reads it: /a.json or /a)` when a reading made the difference. */
function readAs(path: string, reading: OriginReading): string {
  const { forms } = reading;
  if (forms.length === 1 && (forms[0] as ReadForm).path === path && !(forms[0] as ReadForm).caseInsensitive)
    return path;
  const spelled = forms.map((f) => (f.caseInsensitive ? `${f.path} in any case` : f.path)).join(' or ');
  return `${path} (as ${reading.by.join(', ')} read${reading.by.length === 1 ? 's' : ''} it: ${spelled})`;
}

const declaredByAll = (declared: readonly Declared[], method: string) => declared.every((d) => declares(d, method));

/** RFC 9110 §9.3.2: HEAD is GET without the body, so a GET handler answers it. */
function handlerMethod(declared: readonly Declared[], method: string): string {
  return method === 'HEAD' && !declaredByAll(declared, 'HEAD') ? 'GET' : method;
}

function refuse(status: 400 | 404 | 508, path: string, detail: string): Decision {
  return { action: 'refuse', status, path, detail };
}

function refuse405(path: string, allow: readonly string[], routes: readonly string[], detail: string): Decision {
  return { action: 'refuse', status: 405, path, detail, allow, routes };
}
