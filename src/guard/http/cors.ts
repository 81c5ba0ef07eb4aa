/**
 * CORS computed from the same method map: a preflight is answered at the edge
 * with Access-Control-Allow-Methods = Allow(path), so what a browser may send
 * and what the guard lets through cannot disagree. Without CORS config nothing
 * here runs.
 */
import type { CorsConfig } from '../config.ts';
import { allowHeader } from '../map/methods.ts';
import { optionsResponse } from './responses.ts';

function allowedOrigin(cors: CorsConfig, origin: string | null): string | null {
  if (origin === null) return null;
  if (cors.allowOrigins === '*') return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.has(origin) ? origin : null;
}

const GRANT_HEADERS = ['access-control-allow-origin', 'access-control-allow-credentials'] as const;

/** Adds `values` to a comma-list header, keeping what is there and skipping repeats (case-insensitively). */
function addToList(headers: Headers, name: string, values: readonly string[]): void {
  const present = (headers.get(name) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const seen = new Set(present.map((v) => v.toLowerCase()));
  const added = values.filter((v) => !seen.has(v.toLowerCase()));
  if (added.length) headers.set(name, [...present, ...added].join(', '));
}

/** Headers for a cross-origin response (forwarded, edge-answered or refused). */
export function applyCors(cors: CorsConfig, requestOrigin: string | null, headers: Headers): void {
  // Whether the answer carries CORS headers depends on Origin: shared caches must key on it.
  addToList(headers, 'vary', ['Origin']);
  // With CORS configured the guard owns the grant: an origin's own `*` must not
  // let pages outside CORS_ALLOW_ORIGINS read responses.
  for (const name of GRANT_HEADERS) headers.delete(name);
  const origin = allowedOrigin(cors, requestOrigin);
  if (origin === null) return;
  headers.set('access-control-allow-origin', origin);
  // A page's script can only read `Allow` on a 405 if it is exposed; the origin's own list is kept.
  addToList(headers, 'access-control-expose-headers', ['Allow']);
  if (cors.allowCredentials) headers.set('access-control-allow-credentials', 'true');
}

export interface Preflight {
  readonly response: Response;
  /** Why the browser will refuse, or null when the preflight succeeds. */
  readonly refused: string | null;
}

/**
 * The edge's answer to a preflight: the same OPTIONS answer as without CORS, plus
 * the grant when both the page's origin and the requested method are allowed.
 * A refusal is the same answer without the grant, which the browser then fails.
 */
export function preflightResponse(
  cors: CorsConfig,
  requestHeaders: Headers,
  allow: readonly string[],
  requestedMethod: string,
): Preflight {
  const headers = new Headers({ vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' });
  const requestOrigin = requestHeaders.get('origin');
  const origin = allowedOrigin(cors, requestOrigin);
  let refused: string | null = null;
  // Fetch standard: the requested method is compared byte for byte.
  if (origin === null) refused = `origin ${requestOrigin} is not in CORS_ALLOW_ORIGINS`;
  else if (!allow.includes(requestedMethod)) refused = `${requestedMethod} is not allowed on this path`;
  if (origin !== null && refused === null) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-allow-methods', allowHeader(allow));
    const requested = requestHeaders.get('access-control-request-headers');
    const allowHeaders = cors.allowHeaders ? cors.allowHeaders.join(', ') : requested;
    if (allowHeaders) headers.set('access-control-allow-headers', allowHeaders);
    headers.set('access-control-max-age', String(cors.maxAge));
    if (cors.allowCredentials) headers.set('access-control-allow-credentials', 'true');
  }
  return { response: optionsResponse(allow, headers), refused };
}
