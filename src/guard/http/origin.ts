/**
 * Forwarding an allowed request to the origin: same method, headers and body,
 * streamed both ways, redirects passed through, the canonical path on the wire.
 */
import type { Config } from '../config.ts';
import type { Decision } from '../decide.ts';
import { NO_CONTENT_METHODS } from '../request/content.ts';
import { searchWithoutOverride } from '../request/override.ts';
import { originOf, type RequestTarget } from '../request/target.ts';
import { guardId, viaWith } from './loop.ts';
import { spendHop } from './max-forwards.ts';

/**
 * Where the request goes: ORIGIN (or the request's own URL) + canonical path +
 * query, as text: both parts come from serialized URLs and the canonical path
 * only decodes unreserved characters, so nothing needs encoding again.
 */
export function targetUrl(requestUrl: string, target: RequestTarget, canonicalPath: string, config: Config): string {
  const search = config.stripMethodOverride ? searchWithoutOverride(target.search) : target.search;
  return (config.origin ? config.origin.origin : originOf(requestUrl)) + canonicalPath + search;
}

/** The origin did not answer at all (refused, reset, DNS): the guard answers 502. */
export class OriginUnreachable extends Error {
  readonly origin: string;

  constructor(origin: string, reason: string) {
    super(`the origin ${origin} could not be reached (${reason})`);
    this.name = 'OriginUnreachable';
    this.origin = origin;
  }
}

/** `target` is the request's path and query as the guard already read them; `path` the canonical path. */
export function forward(
  request: Request,
  target: RequestTarget,
  { path, strip }: Extract<Decision, { action: 'pass' }>,
  config: Config,
): Promise<Response> {
  const headers = forwardedHeaders(request, config);
  for (const name of strip) headers.delete(name);
  spendHop(request.method, headers);
  return send(request, targetUrl(request.url, target, path, config), headers);
}

/**
 * Report mode: the request exactly as the Worker received it (path bytes, query,
 * overrides, Max-Forwards), to ORIGIN or to its own URL, with only the guard's Via
 * entry added. The target is the request URL's own text after its authority, not
 * rebuilt with URL setters: `search` cannot tell "/a?" from "/a", and the origin
 * must see what it would see without the guard.
 */
export function forwardAsIs(request: Request, config: Config): Promise<Response> {
  const headers = forwardedHeaders(request, config);
  if (config.origin === null) return send(request, request.url, headers);
  return send(request, config.origin.origin + request.url.slice(originOf(request.url).length), headers);
}

/** The request's headers plus this guard's Via entry, which ends loops (loop.ts). */
function forwardedHeaders(request: Request, config: Config): Headers {
  const headers = new Headers(request.headers);
  headers.set('via', viaWith(request, guardId(config, request.headers)));
  return headers;
}

function send(request: Request, target: string, headers: Headers): Promise<Response> {
  // Passing the body stream (never awaiting it) keeps uploads streaming; redirect
  // 'manual' hands 3xx to the client as the origin sent them.
  // fetch() rejects any body on GET/HEAD, even the empty stream workerd gives one sent with
  // Content-Length: 0. Enforce mode refuses real content before this (decide); report mode
  // sends the request on without it.
  const body = NO_CONTENT_METHODS.has(request.method) ? null : request.body;
  // `catch`, not try/await: one Promise on top of fetch's.
  return fetch(target, { method: request.method, headers, body, redirect: 'manual' }).catch((error: unknown) => {
    throw new OriginUnreachable(originOf(target), error instanceof Error ? error.message : String(error));
  });
}
