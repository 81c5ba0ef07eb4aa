/**
 * Path spellings and method overrides sent on a real request line through
 * workerd: what the origin receives is exactly what the guard checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

let guard: GuardServer;
let insensitive: GuardServer;
let stripping: GuardServer;
let strict: GuardServer;
beforeAll(async () => {
  [guard, insensitive, stripping, strict] = await Promise.all([
    startGuard({}, 'fixture'),
    startGuard({ CASE_INSENSITIVE: 'true', ORIGIN_PROFILE: 'strict' }, 'fixture'),
    startGuard({ STRIP_METHOD_OVERRIDE: 'true' }, 'fixture'),
    startGuard({ ORIGIN_PROFILE: 'strict' }, 'fixture'),
  ]);
});
afterAll(() => Promise.all([guard, insensitive, stripping, strict].map((g) => g?.close())));

async function originSees(server: GuardServer, target: string, init: Parameters<typeof send>[2] = {}) {
  const before = server.origin.requests.length;
  const response = await send(server.url, target, init);
  return { status: response.status, body: response.body, seen: server.origin.requests.slice(before) };
}

describe('path spellings: the origin receives the canonical path the guard checked', () => {
  it.each([
    ['//hello', '/hello'],
    ['/he%6C%6co', '/hello'],
    ['/x/../hello', '/hello'],
    ['/x/%2e%2E/hello', '/hello'],
    ['/x\\..\\hello', '/hello'],
    ['/hello/', '/hello/'],
    ['/api//items/%34%32', '/api/items/42'],
    ['/caf%c3%a9?q=%c3%a9', '/caf%C3%A9?q=%c3%a9'],
  ])('GET %s reaches the origin as %s', async (target, expected) => {
    const { status, seen } = await originSees(guard, target);
    expect(status).toBe(200);
    expect(seen.map((r) => r.url)).toEqual([expected]);
  });

  it.each(['//hello', '/he%6C%6co', '/x/../hello', '/x/%2e%2E/hello', '/x\\..\\hello', '/hello/', '/hello//'])(
    'POST %s is refused 405 like POST /hello',
    async (target) => {
      const { status, seen } = await originSees(guard, target, { method: 'POST', body: 'x' });
      expect(status).toBe(405);
      expect(seen).toHaveLength(0);
    },
  );
});

describe('ambiguous paths get 400, even where no route matches', () => {
  it.each([
    '/api/items%2F42',
    '/api%2fitems/42',
    '/api/items%5C42',
    '/hello%3Bjsessionid=1',
    '/api%3bx=1/items/42',
    '/hello%252F',
    '/hello%25%32%46',
    '/%C0%AFhello',
    '/hello%ED%A0%80',
    '/x/..;/hello',
    '/hello%00',
    '/hello%0d%0a',
    '/hello%zz',
    '/unknown%2Fpath',
  ])('%s', async (target) => {
    const { status, body, seen } = await originSees(guard, target, { method: 'DELETE', body: 'x' });
    expect(status).toBe(400);
    expect(body).toContain('ambiguous path refused');
    expect(seen).toHaveLength(0);
  });
});

describe('case', () => {
  it('refuses POST /HELLO by default (ORIGIN_PROFILE=any), as Express and ASP.NET read it as /hello', async () => {
    const { status, seen } = await originSees(guard, '/HELLO', { method: 'POST', body: 'x' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('forwards POST /HELLO as another (unmatched) path under ORIGIN_PROFILE=strict', async () => {
    const { seen } = await originSees(strict, '/HELLO', { method: 'POST', body: 'x' });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /HELLO']);
  });

  it('refuses POST /HELLO with CASE_INSENSITIVE on top of ORIGIN_PROFILE=strict', async () => {
    const { status, seen } = await originSees(insensitive, '/HELLO', { method: 'POST', body: 'x' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });
});

describe('method-override headers cannot smuggle a method', () => {
  it.each([
    ['X-HTTP-Method-Override', 'DELETE'],
    ['X-HTTP-Method', 'PUT'],
    ['X-Method-Override', 'patch'],
  ])('POST /forms/contact with %s: %s gets 405 with Allow', async (header, value) => {
    const { status, seen } = await originSees(guard, '/forms/contact', {
      method: 'POST',
      headers: { [header]: value },
      body: 'x',
    });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('refuses ?_method=DELETE on a path that does not allow DELETE', async () => {
    const { status, seen } = await originSees(guard, '/forms/contact?_method=DELETE', { method: 'POST', body: 'x' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('forwards an override whose method the path allows', async () => {
    const { status, seen } = await originSees(guard, '/api/items/7', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'DELETE' },
      body: 'x',
    });
    expect(status).toBe(405); // POST itself is not allowed on /api/items/7
    expect(seen).toHaveLength(0);
    const allowed = await originSees(guard, '/api/items/7', {
      method: 'PUT',
      headers: { 'X-HTTP-Method-Override': 'DELETE' },
      body: 'x',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.seen[0]?.headers['x-http-method-override']).toBe('DELETE');
  });

  it('answers 400 to an override that is not a method name', async () => {
    const { status } = await originSees(guard, '/hello', { headers: { 'X-HTTP-Method-Override': 'DEL ETE' } });
    expect(status).toBe(400);
  });

  it('strips overrides before forwarding with STRIP_METHOD_OVERRIDE', async () => {
    const { status, seen } = await originSees(stripping, '/forms/contact?a=1&_method=DELETE&b=2', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'DELETE', 'X-HTTP-Method': 'DELETE', 'X-Method-Override': 'DELETE' },
      body: 'x',
    });
    expect(status).toBe(200);
    expect(seen[0]?.url).toBe('/forms/contact?a=1&b=2');
    const headers = Object.keys(seen[0]?.headers ?? {});
    expect(headers.filter((h) => h.includes('method'))).toEqual([]);
  });
});
