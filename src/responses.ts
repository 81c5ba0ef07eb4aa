/**
 * The guard's own answers: 204 for OPTIONS, and errors as text/plain or, when the
 * client prefers JSON, RFC 9457 problem details.
 */
import { allowHeader } from './methods.ts';

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

/** Highest q the Accept header gives a media range for which `matches` holds. */
function quality(accept: string, matches: (type: string, subtype: string) => boolean): number {
  let best = 0;
  for (const range of accept.split(',')) {
    const [mediaRange = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const [type = '', subtype = ''] = mediaRange.split('/');
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && matches(type, subtype)) best = Math.max(best, q);
  }
  return best;
}

/** JSON only when asked for by name: a bare wildcard (curl's default) keeps text. */
export function prefersJson(accept: string | null): boolean {
  if (!accept) return false;
  const json = quality(accept, (t, s) => t === 'application' && (s === 'json' || s.endsWith('+json')));
  const text = quality(accept, (t, s) => (t === 'text' && (s === 'plain' || s === '*')) || (t === '*' && s === '*'));
  return json > 0 && json >= text;
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

/** 204 to an OPTIONS no route declares (RFC 9110 §9.3.7). */
export function optionsResponse(allow: readonly string[], extra?: HeadersInit): Response {
  const headers = new Headers(extra);
  headers.set('allow', allowHeader(allow));
  return new Response(null, { status: 204, headers });
}

/** HEAD answered from a GET handler: same status and headers, no body (RFC 9110 §9.3.2). */
export async function withoutBody(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.body && !headers.has('content-length')) {
    headers.set('content-length', String((await response.arrayBuffer()).byteLength));
  } else {
    await response.body?.cancel();
  }
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}
