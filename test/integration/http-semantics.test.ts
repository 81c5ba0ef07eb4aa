/**
 * The guard's own answers on the wire (workerd, real recording origin): problem
 * details for every edge error, HEAD, OPTIONS, and what workerd never delivers.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { type RawRequest, send } from '../support/http.ts';

/** Writes `head` verbatim (request-target forms fetch and node:http cannot send) and reads until close. */
function exchange(base: string, head: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(head));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

let guard: GuardServer;
let guard404: GuardServer;
let guard502: GuardServer;
beforeAll(async () => {
  [guard, guard404, guard502] = await Promise.all([
    startGuard({}, 'fixture'),
    startGuard({ UNMATCHED: '404' }, 'fixture'),
    // Port 9 (discard): nothing listens there, so the origin is unreachable.
    startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture'),
  ]);
});
afterAll(() => Promise.all([guard?.close(), guard404?.close(), guard502?.close()]));

interface EdgeError {
  readonly status: number;
  readonly title: string;
  readonly server: () => GuardServer;
  readonly target: string;
  readonly request: RawRequest;
}

const EDGE_ERRORS: EdgeError[] = [
  { status: 400, title: 'Bad Request', server: () => guard, target: '/hello%3Bjsessionid=1', request: {} },
  { status: 404, title: 'Not Found', server: () => guard404, target: '/nowhere', request: {} },
  { status: 405, title: 'Method Not Allowed', server: () => guard, target: '/hello', request: { method: 'POST' } },
  { status: 502, title: 'Bad Gateway', server: () => guard502, target: '/hello', request: {} },
  {
    status: 508,
    title: 'Loop Detected',
    server: () => guard,
    target: '/hello',
    // More method-guard Via entries than any chain has: a loop whatever the guard's own name.
    request: { headers: { via: Array.from({ length: 10 }, (_, i) => `1.1 guard-${i} (method-guard)`).join(', ') } },
  },
];

describe('edge errors as problem details', () => {
  for (const { status, title, server, target, request } of EDGE_ERRORS) {
    it(`answers ${status} as application/problem+json with type, title, status and detail when Accept prefers JSON`, async () => {
      const headers = { ...request.headers, accept: 'application/json' };
      const response = await send(server().url, target, { ...request, headers });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(response.body);
      expect(problem).toMatchObject({ type: 'about:blank', title, status });
      expect(problem.detail).toEqual(expect.any(String));
      expect(Object.keys(problem).sort()).toEqual(
        ['detail', 'status', 'title', 'type', ...(status === 405 ? ['allow'] : [])].sort(),
      );
    });

    it(`answers ${status} as one text/plain line to a client with no JSON preference`, async () => {
      const response = await send(server().url, target, request);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.body).toMatch(new RegExp(`^${status} ${title}: [^\\n]+\\n$`));
    });
  }

  for (const { status, server, target, request } of EDGE_ERRORS) {
    it(`marks the ${status} nosniff and Vary: Accept, since its body may quote the request and follows Accept`, async () => {
      const response = await send(server().url, target, request);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers.vary).toBe('Accept');
    });
  }

  it('answers application/problem+json to Accept: application/problem+json', async () => {
    const response = await send(guard.url, '/hello', {
      method: 'POST',
      headers: { accept: 'application/problem+json' },
    });
    expect(response.headers['content-type']).toBe('application/problem+json');
  });

  it('lists Allow as an array in a 405 problem, equal to the Allow header', async () => {
    const response = await send(guard.url, '/api/items', { method: 'DELETE', headers: { accept: 'application/json' } });
    expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(JSON.parse(response.body).allow).toEqual(['GET', 'HEAD', 'POST', 'OPTIONS']);
  });

  it('sends the Allow header on a text/plain 405 too', async () => {
    const response = await send(guard.url, '/api/items', { method: 'DELETE' });
    expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('never shows a refused request to the origin', async () => {
    const before = guard.origin.started;
    await send(guard.url, '/api/items', { method: 'DELETE', headers: { accept: 'application/json' } });
    expect(guard.origin.started).toBe(before);
  });
});

/** Resolves to 'timed out' if `promise` takes longer than `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timed out'> {
  return Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

describe('HEAD', () => {
  it('answers HEAD on an edge-answered GET with the GET status and headers and no body', async () => {
    const get = await send(guard.url, '/edge');
    const head = await send(guard.url, '/edge', { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    const { 'content-length': _counted, ...getHeaders } = get.headers;
    expect(head.headers).toEqual(getHeaders);
    expect(head.body).toBe('');
  });

  it('sends no Content-Length on HEAD when the GET handler set none: it would have to read the body to count it', async () => {
    // RFC 9110 §8.6: a Content-Length on HEAD MUST equal what GET would send; §9.3.2 lets HEAD omit it.
    expect((await send(guard.url, '/edge', { method: 'HEAD' })).headers['content-length']).toBeUndefined();
  });

  it('keeps the Content-Length a GET handler set itself', async () => {
    const head = await send(guard.url, '/sized', { method: 'HEAD' });
    expect(head.headers['content-length']).toBe('12');
    expect(head.body).toBe('');
  });

  it('answers HEAD promptly on a GET handler that streams without end (server-sent events)', async () => {
    const head = await within(5000, send(guard.url, '/events', { method: 'HEAD' }));
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head !== 'timed out' && head.headers['content-type']).toBe('text/event-stream');
  });
});

describe('Max-Forwards (RFC 9110 §7.6.2)', () => {
  it('answers OPTIONS with Max-Forwards: 0 itself, 204 with Allow, on a path whose OPTIONS is otherwise forwarded', async () => {
    const before = guard.origin.started;
    const response = await send(guard.url, '/anything/x', { method: 'OPTIONS', headers: { 'max-forwards': '0' } });
    expect(response.status).toBe(204);
    expect(response.headers.allow).toContain('OPTIONS');
    expect(guard.origin.started).toBe(before);
  });

  it('decrements Max-Forwards on an OPTIONS it forwards', async () => {
    await send(guard.url, '/anything/x', { method: 'OPTIONS', headers: { 'max-forwards': '5' } });
    expect(guard.origin.requests.at(-1)).toMatchObject({ method: 'OPTIONS', url: '/anything/x' });
    expect(guard.origin.requests.at(-1)?.headers['max-forwards']).toBe('4');
  });

  it('answers TRACE with Max-Forwards: 0 itself where TRACE is allowed, reflecting the request as message/http without its secrets', async () => {
    const before = guard.origin.started;
    const response = await send(guard.url, '/debug/trace?x=1', {
      method: 'TRACE',
      headers: { 'max-forwards': '0', 'x-probe': 'seen', cookie: 'session=secret', authorization: 'Bearer secret' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('message/http');
    expect(response.body).toMatch(/^TRACE \/debug\/trace\?x=1 HTTP\/1\.1\r\n/);
    expect(response.body).toContain('x-probe: seen\r\n');
    expect(response.body).not.toContain('secret');
    expect(guard.origin.started).toBe(before);
  });

  it('decrements Max-Forwards on a TRACE it forwards', async () => {
    await send(guard.url, '/debug/trace', { method: 'TRACE', headers: { 'max-forwards': '3' } });
    expect(guard.origin.requests.at(-1)).toMatchObject({ method: 'TRACE', url: '/debug/trace' });
    expect(guard.origin.requests.at(-1)?.headers['max-forwards']).toBe('2');
  });

  it('refuses TRACE with Max-Forwards: 0 where TRACE is not allowed, like any TRACE', async () => {
    const response = await send(guard.url, '/anything/x', { method: 'TRACE', headers: { 'max-forwards': '0' } });
    expect(response.status).toBe(405);
  });

  it('leaves Max-Forwards on other methods as it is (§7.6.2: a recipient MAY ignore it there)', async () => {
    await send(guard.url, '/hello', { headers: { 'max-forwards': '0' } });
    expect(guard.origin.requests.at(-1)?.headers['max-forwards']).toBe('0');
  });
});

describe('GET and HEAD with a body', () => {
  for (const method of ['GET', 'HEAD']) {
    it(`refuses ${method} with a body as 400, naming the problem, and the origin sees nothing`, async () => {
      const before = guard.origin.started;
      const response = await send(guard.url, '/hello', { method, body: 'smuggled' });
      expect(response.status).toBe(400);
      if (method === 'GET')
        expect(response.body).toBe('400 Bad Request: a GET request cannot carry content (Content-Length: 8)\n');
      expect(guard.origin.started).toBe(before);
    });
  }

  it('refuses a chunked GET body as 400', async () => {
    const response = await send(guard.url, '/hello', {
      headers: { 'transfer-encoding': 'chunked' },
      body: 'smuggled',
      framing: false,
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain('a GET request cannot carry content (Transfer-Encoding: chunked)');
  });

  it('forwards a GET with Content-Length: 0, which carries no content, without a body', async () => {
    const response = await send(guard.url, '/hello', { headers: { 'content-length': '0' } });
    expect(response.status).toBe(200);
    expect(guard.origin.requests.at(-1)).toMatchObject({ method: 'GET', url: '/hello', bodyBytes: 0 });
  });
});

describe('OPTIONS', () => {
  it('answers OPTIONS at the edge with 204 and Allow, no body and no Content-Length (RFC 9110 §8.6), the origin untouched', async () => {
    const before = guard.origin.started;
    const response = await send(guard.url, '/api/items/7', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.body).toBe('');
    expect(guard.origin.started).toBe(before);
  });

  it('cannot answer OPTIONS *: workerd refuses the asterisk-form with its own 500 before any Worker runs', async () => {
    const before = guard.origin.started;
    const reply = await exchange(guard.url, 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(reply.endsWith('\r\n\r\nInternal Server Error')).toBe(true);
    await expect.poll(() => guard.logs.join('\n')).toContain('invalid URL; url = *');
    expect(guard.origin.started).toBe(before);
  });
});

describe('CONNECT', () => {
  it('never reaches the guard or the origin: workerd refuses CONNECT to a fetch handler', async () => {
    const before = guard.origin.started;
    const reply = await exchange(guard.url, 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    await expect.poll(() => guard.logs.join('\n')).toContain('Incoming CONNECT on a worker not supported');
    expect(guard.origin.started).toBe(before);
  });
});
