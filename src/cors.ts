/**
 * CORS computed from the same method map: a preflight is answered at the edge
 * with Access-Control-Allow-Methods = Allow(path), so what a browser may send
 * and what the guard lets through cannot disagree. Without CORS config nothing
 * here runs.
 */
import type { CorsConfig } from './config.ts';
import { allowHeader } from './methods.ts';

function allowedOrigin(cors: CorsConfig, origin: string | null): string | null {
  if (origin === null) return null;
  if (cors.allowOrigins === '*') return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.has(origin) ? origin : null;
}

/** Headers for a cross-origin response (forwarded, edge-answered or refused). */
export function applyCors(cors: CorsConfig, requestOrigin: string | null, headers: Headers): void {
  headers.append('vary', 'Origin');
  const origin = allowedOrigin(cors, requestOrigin);
  if (origin === null) return;
  headers.set('access-control-allow-origin', origin);
  // A page's script can only read `Allow` on a 405 if it is exposed.
  headers.set('access-control-expose-headers', 'Allow');
  if (cors.allowCredentials) headers.set('access-control-allow-credentials', 'true');
}

export interface Preflight {
  readonly response: Response;
  /** Why the browser will refuse, or null when the preflight succeeds. */
  readonly refused: string | null;
}

export function preflightResponse(
  cors: CorsConfig,
  requestHeaders: Headers,
  allow: readonly string[],
  requestedMethod: string,
): Preflight {
  const headers = new Headers({ allow: allowHeader(allow), vary: 'Origin, Access-Control-Request-Headers' });
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
  return { response: new Response(null, { status: 204, headers }), refused };
}
