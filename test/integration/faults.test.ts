/** Origin down, forwarding loops, bad settings, and the unmatched policy, through workerd. */
import { afterEach, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

let guard: GuardServer | undefined;
afterEach(async () => {
  await guard?.close();
  guard = undefined;
});

describe('origin unreachable', () => {
  it('answers 502 with a clear body naming the origin', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    guard = await startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(502);
    expect(response.body).toContain('the origin http://127.0.0.1:9 could not be reached');
  });
});

describe('forwarding loops', () => {
  it('answers 508 when ORIGIN is empty and the request URL is the guard itself (wrangler dev)', async () => {
    guard = await startGuard({ ORIGIN: '' }, 'fixture');
    // identity: workerd's own fetch asks for br/gzip and would pass the encoded 508 on.
    const response = await send(guard.url, '/hello', { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(508);
    expect(response.body).toContain('already forwarded by method-guard');
  });

  it('answers 508 when ORIGIN points back at the guard', async () => {
    guard = await startGuard({}, 'fixture');
    const loop = await startGuard({ ORIGIN: guard.url }, 'fixture');
    try {
      const response = await send(loop.url, '/hello');
      expect(response.status).toBe(508);
      expect(guard.origin.requests).toHaveLength(0);
    } finally {
      await loop.close();
    }
  });
});

describe('bad settings', () => {
  it('names ORIGIN and what it accepts when ORIGIN is not a URL', async () => {
    guard = await startGuard({ ORIGIN: 'not a url' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    expect(response.body).toContain('invalid ORIGIN="not a url": expected an http(s) origin');
    expect(response.body).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('names UNMATCHED and its allowed values when UNMATCHED is unknown', async () => {
    guard = await startGuard({ UNMATCHED: 'block' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    expect(response.body).toContain('invalid UNMATCHED="block": expected one of "forward", "404"');
  });

  it('forwards nothing while misconfigured', async () => {
    guard = await startGuard({ UNMATCHED: 'block' }, 'fixture');
    await send(guard.url, '/hello');
    expect(guard.origin.requests).toHaveLength(0);
  });
});

describe('the unmatched policy', () => {
  it('forwards a path no route matches, with any method, by default', async () => {
    guard = await startGuard({}, 'fixture');
    const response = await send(guard.url, '/not/declared', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(guard.origin.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /not/declared']);
  });

  it('answers 404 at the edge with UNMATCHED=404', async () => {
    guard = await startGuard({ UNMATCHED: '404' }, 'fixture');
    const response = await send(guard.url, '/not/declared');
    expect(response.status).toBe(404);
    expect(guard.origin.requests).toHaveLength(0);
  });

  it('still serves declared paths with UNMATCHED=404', async () => {
    guard = await startGuard({ UNMATCHED: '404' }, 'fixture');
    expect((await send(guard.url, '/hello')).status).toBe(200);
  });
});
