/**
 * Every standard method against GET-only, POST-only, multi-method, param and
 * wildcard paths, through workerd, in front of a real origin that counts hits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

// CONNECT never reaches a fetch handler (workerd routes it to `connect`).
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'QUERY'];

const TABLE: Record<string, string> = {
  '/hello': 'GET, HEAD, OPTIONS',
  '/articles/why-405': 'GET, HEAD, OPTIONS',
  '/forms/contact': 'POST, OPTIONS',
  '/api/items': 'GET, HEAD, POST, OPTIONS',
  '/api/items/42': 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
  '/files/a/b/c.txt': 'GET, HEAD, OPTIONS',
  '/files/uploads/cat.png': 'GET, HEAD, PUT, DELETE, OPTIONS',
  '/files/uploads/deep/cat.png': 'GET, HEAD, PUT, OPTIONS',
  '/dav/notes': 'OPTIONS, PROPFIND',
};

let guard: GuardServer;
beforeAll(async () => {
  guard = await startGuard({}, 'fixture');
});
afterAll(() => guard?.close());

describe('every method against every kind of path', () => {
  for (const [path, allow] of Object.entries(TABLE)) {
    const allowed = allow.split(', ');
    for (const method of METHODS) {
      const expected = allowed.includes(method) ? (method === 'OPTIONS' ? 204 : 200) : 405;
      it(`${method} ${path} → ${expected}`, async () => {
        const before = guard.origin.requests.length;
        const body = ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method) ? undefined : 'payload';
        const response = await send(guard.url, path, { method, body });
        expect(response.status).toBe(expected);
        const hits = guard.origin.requests.slice(before);
        if (expected === 200) {
          expect(hits).toHaveLength(1);
          expect(hits[0]).toMatchObject({ method, url: path, bodyBytes: body ? body.length : 0 });
        } else {
          expect(hits).toHaveLength(0);
          expect(response.headers.allow).toBe(allow);
        }
      });
    }
  }

  it('keeps the invariant: every method a 405 lists is not answered 405', async () => {
    for (const path of Object.keys(TABLE)) {
      const refused = await send(guard.url, path, { method: 'TRACE' });
      expect(refused.status).toBe(405);
      const allow = refused.headers.allow?.split(', ') ?? [];
      for (const method of allow) {
        const response = await send(guard.url, path, { method });
        expect(response.status, `${method} ${path}`).not.toBe(405);
      }
    }
  });
});

describe('all routes', () => {
  it('allow every method a Worker can receive except TRACE', async () => {
    for (const method of METHODS.filter((m) => m !== 'TRACE' && m !== 'OPTIONS')) {
      const response = await send(guard.url, '/anything/x', { method });
      expect(response.status, method).toBe(200);
    }
    const trace = await send(guard.url, '/anything/x', { method: 'TRACE' });
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).not.toContain('TRACE');
  });
});

describe('HEAD and OPTIONS', () => {
  it('forwards HEAD as HEAD where only GET is declared', async () => {
    const before = guard.origin.requests.length;
    const response = await fetch(`${guard.url}/hello`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(guard.origin.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('answers HEAD from an edge GET handler with its status and headers and no body', async () => {
    const get = await fetch(`${guard.url}/edge`);
    const head = await fetch(`${guard.url}/edge`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(head.headers.get('x-edge')).toBe('yes');
    // The handler set no Content-Length, and counting it would mean reading the body (RFC 9110 §9.3.2).
    expect(head.headers.get('content-length')).toBeNull();
    expect(await head.text()).toBe('');
  });

  it('answers OPTIONS at the edge with 204 and Allow, without reaching the origin', async () => {
    const before = guard.origin.requests.length;
    const response = await fetch(`${guard.url}/api/items`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(guard.origin.requests.length).toBe(before);
  });
});

describe('edge answers', () => {
  it('serves a handler that returns a Response at the edge, origin untouched', async () => {
    const before = guard.origin.requests.length;
    const response = await fetch(`${guard.url}/edge`);
    expect(await response.text()).toBe('edge says hi\n');
    expect(guard.origin.requests.length).toBe(before);
  });

  it('lets an edge handler read the body of an allowed request', async () => {
    const response = await fetch(`${guard.url}/edge-echo`, { method: 'POST', body: 'x'.repeat(1234) });
    expect(await response.text()).toBe('got 1234 bytes\n');
  });
});

describe('forwarding', () => {
  it('keeps method, headers, query and body', async () => {
    const before = guard.origin.requests.length;
    await (
      await fetch(`${guard.url}/upload?a=1&b=%20x`, {
        method: 'PUT',
        headers: { 'x-custom': 'kept', 'content-type': 'text/plain' },
        body: 'hello origin',
      })
    ).arrayBuffer();
    const [hit] = guard.origin.requests.slice(before);
    expect(hit).toMatchObject({ method: 'PUT', url: '/upload?a=1&b=%20x', bodyBytes: 12 });
    expect(hit?.headers['x-custom']).toBe('kept');
    expect(hit?.headers.via).toBe(viaOf(guard));
  });

  it('passes redirects through instead of following them', async () => {
    const response = await send(guard.url, '/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/hello');
  });
});
