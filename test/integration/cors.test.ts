/**
 * CORS from the method map, on the wire (workerd, real recording origin): what a
 * browser would be told, and that the origin never sees a preflight it declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { type RawResponse, send } from '../support/http.ts';

const APP = 'https://app.example';

let guard: GuardServer;
let withHeaders: GuardServer;
let anyOrigin: GuardServer;
let noCors: GuardServer;
beforeAll(async () => {
  [guard, withHeaders, anyOrigin, noCors] = await Promise.all([
    startGuard({ CORS_ALLOW_ORIGINS: `${APP}, https://admin.example`, CORS_MAX_AGE: '120' }, 'fixture'),
    startGuard(
      { CORS_ALLOW_ORIGINS: APP, CORS_ALLOW_HEADERS: 'content-type, x-token', CORS_ALLOW_CREDENTIALS: 'true' },
      'fixture',
    ),
    startGuard({ CORS_ALLOW_ORIGINS: '*' }, 'fixture'),
    startGuard({}, 'fixture'),
  ]);
});
afterAll(() => Promise.all([guard, withHeaders, anyOrigin, noCors].map((g) => g?.close())));

function preflight(server: GuardServer, path: string, origin: string, method: string, headers?: string) {
  const request: Record<string, string> = { origin, 'access-control-request-method': method };
  if (headers) request['access-control-request-headers'] = headers;
  return send(server.url, path, { method: 'OPTIONS', headers: request });
}

const corsHeaders = (response: RawResponse) =>
  Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));

describe('preflights', () => {
  it('answers a preflight from an allowed origin at the edge with Allow(path) as the allowed methods', async () => {
    const before = guard.origin.started;
    const response = await preflight(guard, '/api/items/7', APP, 'PUT', 'content-type');
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '120',
      allow: 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
    });
    expect(response.headers.vary).toContain('Origin');
    expect(guard.origin.started).toBe(before);
  });

  it('grants nothing to a preflight for a method the path does not allow, and the origin never sees it', async () => {
    const before = guard.origin.started;
    const response = await preflight(guard, '/api/items', APP, 'DELETE');
    expect(corsHeaders(response)).toEqual([]);
    expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(guard.origin.started).toBe(before);
  });

  it('grants nothing to a preflight from an origin not in CORS_ALLOW_ORIGINS', async () => {
    const response = await preflight(guard, '/api/items', 'https://evil.example', 'POST');
    expect(corsHeaders(response)).toEqual([]);
  });

  it('answers with the configured CORS_ALLOW_HEADERS and credentials instead of echoing', async () => {
    const response = await preflight(withHeaders, '/api/items', APP, 'POST', 'x-other');
    expect(response.headers['access-control-allow-headers']).toBe('content-type, x-token');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  it('answers * to any origin when CORS_ALLOW_ORIGINS is *', async () => {
    const response = await preflight(anyOrigin, '/api/items', 'https://anyone.example', 'POST');
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('forwards a preflight for a path no route declares: the origin owns what the guard does not guard', async () => {
    const before = guard.origin.requests.length;
    await preflight(guard, '/undeclared', APP, 'PUT');
    expect(guard.origin.requests.slice(before).map((r) => r.method)).toEqual(['OPTIONS']);
  });
});

describe('cross-origin responses', () => {
  it('lets an allowed page read a forwarded response', async () => {
    const response = await send(guard.url, '/hello', { headers: { origin: APP } });
    expect(response.headers['x-origin']).toBe('recording');
    expect(response.headers['access-control-allow-origin']).toBe(APP);
    expect(response.headers['access-control-expose-headers']).toBe('Allow');
    expect(response.headers.vary).toBe('Origin');
  });

  it('lets an allowed page read a 405 and its Allow header', async () => {
    const response = await send(guard.url, '/hello', { method: 'POST', headers: { origin: APP }, body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(response.headers['access-control-allow-origin']).toBe(APP);
    expect(response.headers['access-control-expose-headers']).toBe('Allow');
  });

  it('sends Access-Control-Allow-Credentials on responses when credentials are on', async () => {
    const response = await send(withHeaders.url, '/hello', { headers: { origin: APP } });
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  it("replaces the origin's own Access-Control-Allow-Origin: * so other pages cannot read", async () => {
    const evil = await send(guard.url, '/cors-star', { headers: { origin: 'https://evil.example' } });
    expect(guard.origin.requests.at(-1)?.url).toBe('/cors-star');
    expect(corsHeaders(evil)).toEqual([]);
    const app = await send(guard.url, '/cors-star', { headers: { origin: APP } });
    expect(app.headers['access-control-allow-origin']).toBe(APP);
    expect(app.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('adds only Vary: Origin for an origin not allowed', async () => {
    const response = await send(guard.url, '/hello', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(corsHeaders(response)).toEqual([]);
    expect(response.headers.vary).toBe('Accept, Origin');
  });
});

describe('without CORS config', () => {
  it('adds nothing CORS to a preflight, which gets the plain OPTIONS answer', async () => {
    const response = await preflight(noCors, '/api/items', APP, 'POST');
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(corsHeaders(response)).toEqual([]);
    expect(response.headers.vary).toBeUndefined();
  });

  it('adds nothing CORS to a 405 or a forwarded response', async () => {
    const refused = await send(noCors.url, '/hello', { method: 'POST', headers: { origin: APP } });
    const forwarded = await send(noCors.url, '/hello', { headers: { origin: APP } });
    for (const response of [refused, forwarded]) {
      expect(corsHeaders(response)).toEqual([]);
      expect(response.headers.vary ?? '').not.toContain('Origin');
    }
  });
});
