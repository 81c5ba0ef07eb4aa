/**
 * The guard's own answers: OPTIONS, and errors as text/plain or, when the client
 * prefers JSON, RFC 9457 problem details.
 */

import { allowHeader } from '../map/methods.ts';
import type { RequestTarget } from '../request/target.ts';

export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  508: 'Loop Detected',
};

export interface Problem {
  readonly status: number;
  readonly detail: string;
  /** Allow(U) on a 405: RFC 9110 §15.5.6 makes the header mandatory. */
  readonly allow?: readonly string[];
}

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function mediaRanges(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const range of accept.split(',')) {
    const [mediaRange = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const [type = '', subtype = ''] = mediaRange.split('/');
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (type && subtype && Number.isFinite(q) && q >= 0 && q <= 1) ranges.push({ type, subtype, q });
  }
  return ranges;
}

interface Preference {
  readonly q: number;
  /** Named as `type/subtype`, not reached through a wildcard. */
  readonly named: boolean;
}

/** How closely a range names a media type: 3 exactly, 2 as `type/*`, 1 as the any-type wildcard, 0 not at all. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === '*' && range.subtype === '*') return 1;
  if (range.type !== type) return 0;
  if (range.subtype === subtype) return 3;
  return range.subtype === '*' ? 2 : 0;
}

/** RFC 9110 §12.5.1: the most specific range that matches a media type sets its q. */
function preference(ranges: readonly MediaRange[], type: string, subtype: string): Preference {
  let best = { specificity: 0, q: 0 };
  for (const range of ranges) {
    const s = specificity(range, type, subtype);
    if (s > best.specificity || (s > 0 && s === best.specificity && range.q > best.q))
      best = { specificity: s, q: range.q };
  }
  return { q: best.q, named: best.specificity === 3 };
}

export type ErrorMediaType = 'application/problem+json' | 'application/json' | 'text/plain';

/**
 * JSON when Accept names application/problem+json or application/json with q > 0
 * (RFC 9110 §12.4.2: q=0 is "not acceptable") and ranks it at least as high as
 * text/plain: a bare wildcard (the default of curl and of fetch) keeps text;
 * axios's "JSON, text or anything" gets JSON. JSON is problem+json (a +json type,
 * RFC 6839) unless the client names problem+json below application/json.
 */
export function errorMediaType(accept: string | null): ErrorMediaType {
  if (!accept) return 'text/plain';
  const ranges = mediaRanges(accept);
  const problem = preference(ranges, 'application', 'problem+json');
  const json = preference(ranges, 'application', 'json');
  const jsonQ = Math.max(problem.named ? problem.q : 0, json.named ? json.q : 0);
  if (jsonQ === 0 || jsonQ < preference(ranges, 'text', 'plain').q) return 'text/plain';
  return problem.named && problem.q < json.q ? 'application/json' : 'application/problem+json';
}

/**
 * Headers on every answer the guard writes itself. Error bodies quote request
 * text (a path, a header value): nosniff keeps a browser from reading one as
 * HTML or script.
 */
function ownHeaders(init?: HeadersInit): Headers {
  const headers = new Headers(init);
  headers.set('x-content-type-options', 'nosniff');
  return headers;
}

const CONTENT_TYPES: Readonly<Record<ErrorMediaType, string>> = {
  'application/problem+json': 'application/problem+json',
  'application/json': 'application/json',
  'text/plain': 'text/plain; charset=utf-8',
};

/**
 * An error answer's headers depend only on its media type and Allow, so each
 * pair is built once and every Response copies it (one copy inside the runtime,
 * where building them costs a call into it per header). Bounded: a route table
 * yields a fixed set of Allow values, times three media types.
 */
const problemHeaders = new Map<string, Headers>();

function problemHeadersFor(type: ErrorMediaType, allow: string | undefined): Headers {
  const key = allow === undefined ? type : `${type} ${allow}`;
  let headers = problemHeaders.get(key);
  if (!headers) {
    // The body's format follows Accept: caches must key on it (RFC 9110 §12.5.5).
    headers = ownHeaders({ 'cache-control': 'no-store', vary: 'Accept', 'content-type': CONTENT_TYPES[type] });
    if (allow !== undefined) headers.set('allow', allow);
    problemHeaders.set(key, headers);
  }
  return headers;
}

export function problemResponse(problem: Problem, accept: string | null): Response {
  const title = STATUS_TITLES[problem.status] ?? 'Error';
  const allow = problem.allow && allowHeader(problem.allow);
  const type = errorMediaType(accept);
  let body: string;
  if (type !== 'text/plain') {
    const json: Record<string, unknown> = {
      type: 'about:blank',
      title,
      status: problem.status,
      detail: problem.detail,
    };
    if (problem.allow) json.allow = problem.allow;
    body = `${JSON.stringify(json)}\n`;
  } else {
    body = allow
      ? `${problem.status} ${title}: ${problem.detail}. Allowed: ${allow}\n`
      : `${problem.status} ${title}: ${problem.detail}\n`;
  }
  return new Response(body, { status: problem.status, headers: problemHeadersFor(type, allow) });
}

/** OPTIONS answers by Allow value, built once like problemHeaders. */
const optionsHeaders = new Map<string, Headers>();

/**
 * Every OPTIONS the guard answers, CORS preflights included: 204 with Allow
 * (RFC 9110 §9.3.7). No `Content-Length: 0`: RFC 9110 §8.6 forbids Content-Length
 * on a 204, and workerd drops it from one on the wire anyway.
 */
export function optionsResponse(allow: readonly string[] | null, extra?: HeadersInit): Response {
  const value = allow ? allowHeader(allow) : '';
  let headers = extra ? undefined : optionsHeaders.get(value);
  if (!headers) {
    headers = ownHeaders(extra);
    if (allow) headers.set('allow', value);
    if (!extra) optionsHeaders.set(value, headers);
  }
  return new Response(null, { status: 204, headers });
}

/**
 * Request fields a TRACE reflection leaves out: RFC 9110 §9.3.8 says the final
 * recipient SHOULD exclude fields likely to hold sensitive data. `cf-*` are
 * Cloudflare's own (client address, Access tokens), added after the client.
 */
const UNREFLECTED = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * TRACE with Max-Forwards: 0 (RFC 9110 §9.3.8): the guard is the final recipient
 * and reflects the request it received as `message/http`.
 */
export function traceResponse(method: string, url: RequestTarget, requestHeaders: Headers): Response {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  for (const [name, value] of requestHeaders) {
    if (!UNREFLECTED.has(name) && !name.startsWith('cf-')) lines.push(`${name}: ${value}`);
  }
  const headers = ownHeaders({ 'content-type': 'message/http', 'cache-control': 'no-store' });
  return new Response(`${lines.join('\r\n')}\r\n\r\n`, { status: 200, headers });
}

/**
 * Status for a copy of `response`. workerd 2026-11 reports "" for a Response built
 * without statusText and sends an explicit "" as an empty reason phrase
 * ("HTTP/1.1 200 "): pass it on only if set.
 */
function statusInit(response: Response, headers: Headers): ResponseInit {
  return response.statusText
    ? { status: response.status, statusText: response.statusText, headers }
    : { status: response.status, headers };
}

/**
 * HEAD answered from a GET handler: same status and headers, no body (RFC 9110
 * §9.3.2). The body is never read: a handler that streams (server-sent events, a
 * download) would make HEAD hang or buffer it. So Content-Length is the one the
 * handler set, or none (§9.3.2 lets HEAD omit what only the content determines).
 */
export function withoutBody(response: Response): Response {
  response.body?.cancel().catch(() => {});
  return new Response(null, statusInit(response, new Headers(response.headers)));
}

/**
 * `response` with `edit` applied to its headers, keeping everything the runtime
 * attached to it. A 101 passes untouched: its `webSocket` cannot be rebuilt
 * into a new Response's status range, and a WebSocket handshake is not subject to
 * CORS (Fetch standard, "establish a WebSocket connection"). Headers are edited in
 * place where they are mutable (edge answers); a fetched response's are
 * immutable, so it is copied with its body stream and `cf` (the first mutation
 * throws before anything changed).
 */
export function withHeaders(response: Response, edit: (headers: Headers) => void): Response {
  if (response.status === 101) return response;
  try {
    edit(response.headers);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const headers = new Headers(response.headers);
  edit(headers);
  return new Response(response.body, { ...statusInit(response, headers), cf: response.cf });
}
