/**
 * The guard's own answers: OPTIONS, and errors as text/plain or, when the client
 * prefers JSON, RFC 9457 problem details.
 */
import { allowHeader } from '../map/methods.ts';

export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
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

/**
 * JSON when Accept names application/json or application/problem+json and ranks it
 * at least as high as text/plain: a bare wildcard (the default of curl and of
 * fetch) keeps text; axios's "JSON, text or anything" gets JSON.
 */
export function prefersJson(accept: string | null): boolean {
  if (!accept) return false;
  const ranges = mediaRanges(accept);
  const json = [preference(ranges, 'application', 'problem+json'), preference(ranges, 'application', 'json')];
  const text = preference(ranges, 'text', 'plain');
  return json.some((p) => p.named && p.q > 0 && p.q >= text.q);
}

export function problemResponse(problem: Problem, accept: string | null): Response {
  const title = STATUS_TITLES[problem.status] ?? 'Error';
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (problem.allow) headers.set('allow', allowHeader(problem.allow));
  let body: string;
  if (prefersJson(accept)) {
    headers.set('content-type', 'application/problem+json');
    const json: Record<string, unknown> = {
      type: 'about:blank',
      title,
      status: problem.status,
      detail: problem.detail,
    };
    if (problem.allow) json.allow = problem.allow;
    body = `${JSON.stringify(json)}\n`;
  } else {
    headers.set('content-type', 'text/plain; charset=utf-8');
    body = problem.allow
      ? `${problem.status} ${title}: ${problem.detail}. Allowed: ${allowHeader(problem.allow)}\n`
      : `${problem.status} ${title}: ${problem.detail}\n`;
  }
  return new Response(body, { status: problem.status, headers });
}

/**
 * Every OPTIONS the guard answers, CORS preflights included: 204 with Allow
 * (RFC 9110 §9.3.7). No `Content-Length: 0`: RFC 9110 §8.6 forbids Content-Length
 * on a 204, and workerd drops it from one on the wire anyway.
 */
export function optionsResponse(allow: readonly string[], extra?: HeadersInit): Response {
  const headers = new Headers(extra);
  headers.set('allow', allowHeader(allow));
  return new Response(null, { status: 204, headers });
}

/**
 * Status for a copy of `response`. workerd 2026-11 reports "" for a Response built
 * without statusText and sends an explicit "" as an empty reason phrase
 * ("HTTP/1.1 200 "): pass it on only if set.
 */
export function statusInit(response: Response, headers: Headers): ResponseInit {
  return response.statusText
    ? { status: response.status, statusText: response.statusText, headers }
    : { status: response.status, headers };
}

/** HEAD answered from a GET handler: same status and headers, no body (RFC 9110 §9.3.2). */
export async function withoutBody(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.body && !headers.has('content-length')) {
    headers.set('content-length', String((await response.arrayBuffer()).byteLength));
  } else {
    await response.body?.cancel();
  }
  return new Response(null, statusInit(response, headers));
}
