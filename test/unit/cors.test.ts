import { describe, expect, it } from 'vitest';
import type { CorsConfig } from '../../src/guard/config.ts';
import { applyCors, preflightResponse } from '../../src/guard/http/cors.ts';

const APP = 'https://app.example';
const ALLOW = ['GET', 'HEAD', 'PUT', 'OPTIONS'];

function cors(overrides: Partial<CorsConfig> = {}): CorsConfig {
  return { allowOrigins: new Set([APP]), allowHeaders: null, maxAge: 600, allowCredentials: false, ...overrides };
}

function preflight(config: CorsConfig, origin: string, method: string, requestHeaders?: string) {
  const headers = new Headers({ origin, 'access-control-request-method': method });
  if (requestHeaders) headers.set('access-control-request-headers', requestHeaders);
  return preflightResponse(config, headers, ALLOW, method);
}

describe('preflightResponse', () => {
  it('grants an allowed origin the path’s Allow as Access-Control-Allow-Methods', () => {
    const { response, refused } = preflight(cors(), APP, 'PUT');
    expect(refused).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, PUT, OPTIONS');
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT, OPTIONS');
  });

  it('answers like any edge OPTIONS: 204', () => {
    const { response } = preflight(cors(), APP, 'PUT');
    expect(response.status).toBe(204);
  });

  it('sends the configured max-age', () => {
    expect(preflight(cors({ maxAge: 42 }), APP, 'PUT').response.headers.get('access-control-max-age')).toBe('42');
  });

  it('echoes the requested headers when CORS_ALLOW_HEADERS is empty', () => {
    const { response } = preflight(cors(), APP, 'PUT', 'content-type, x-token');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-token');
  });

  it('sends the configured header list instead of the requested one', () => {
    const { response } = preflight(cors({ allowHeaders: ['content-type'] }), APP, 'PUT', 'x-token');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('varies on Origin and both request headers the answer depends on', () => {
    expect(preflight(cors(), APP, 'PUT').response.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
  });

  it('grants nothing for a method the path does not allow', () => {
    const { response, refused } = preflight(cors(), APP, 'DELETE');
    expect(refused).toBe('DELETE is not allowed on this path');
    expect(response.headers.has('access-control-allow-origin')).toBe(false);
    expect(response.headers.has('access-control-allow-methods')).toBe(false);
  });

  it('compares the requested method byte for byte, as the browser does', () => {
    expect(preflight(cors(), APP, 'put').refused).toBe('put is not allowed on this path');
  });

  it('grants nothing to an origin not in CORS_ALLOW_ORIGINS', () => {
    const { response, refused } = preflight(cors(), 'https://evil.example', 'PUT');
    expect(refused).toBe('origin https://evil.example is not in CORS_ALLOW_ORIGINS');
    expect(response.headers.has('access-control-allow-origin')).toBe(false);
  });

  it('answers * to any origin when CORS_ALLOW_ORIGINS is *', () => {
    const { response } = preflight(cors({ allowOrigins: '*' }), 'https://any.example', 'PUT');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows credentials when configured', () => {
    const { response } = preflight(cors({ allowCredentials: true }), APP, 'PUT');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('applyCors', () => {
  it('lets an allowed origin read the response and its Allow header', () => {
    const headers = new Headers();
    applyCors(cors(), APP, headers);
    expect(headers.get('access-control-allow-origin')).toBe(APP);
    expect(headers.get('access-control-expose-headers')).toBe('Allow');
    expect(headers.has('access-control-allow-credentials')).toBe(false);
  });

  it('adds only Vary: Origin for an origin not allowed', () => {
    const headers = new Headers();
    applyCors(cors(), 'https://evil.example', headers);
    expect([...headers]).toEqual([['vary', 'Origin']]);
  });

  it('adds only Vary: Origin to a request without Origin', () => {
    const headers = new Headers();
    applyCors(cors(), null, headers);
    expect([...headers]).toEqual([['vary', 'Origin']]);
  });

  it('keeps the headers the origin already exposes', () => {
    const headers = new Headers({ 'access-control-expose-headers': 'X-Request-Id' });
    applyCors(cors(), APP, headers);
    expect(headers.get('access-control-expose-headers')).toBe('X-Request-Id, Allow');
  });

  it('does not repeat Origin in a Vary the origin already sent', () => {
    const headers = new Headers({ vary: 'Accept-Encoding, origin' });
    applyCors(cors(), APP, headers);
    expect(headers.get('vary')).toBe('Accept-Encoding, origin');
  });

  it('allows credentials on responses when configured', () => {
    const headers = new Headers();
    applyCors(cors({ allowCredentials: true }), APP, headers);
    expect(headers.get('access-control-allow-credentials')).toBe('true');
  });
});
