/** Origin down, forwarding loops, bad settings, and the unmatched policy, through workerd. */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

let guard: GuardServer | undefined;
afterEach(async () => {
  await guard?.close();
  guard = undefined;
});

describe('origin unreachable', () => {
  it('answers 502 with a generic body that neither names the origin nor quotes the runtime', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    guard = await startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(502);
    expect(response.body).toMatch(/^502 Bad Gateway: the origin could not be reached \(request id [\w-]+\)\n$/);
    expect(response.body).not.toContain('127.0.0.1');
  });

  it('gives the 502 the cf-ray as its request id, and logs the detail under that id', async () => {
    guard = await startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture');
    const ray = '8f1e2d3c4b5a6978-AMS';
    const response = await send(guard.url, '/hello', { headers: { 'cf-ray': ray } });
    expect(response.body).toContain(`(request id ${ray})`);
    const logged = () => guard?.logs.filter((line) => line.includes(ray)) ?? [];
    await expect.poll(logged).toHaveLength(1);
    expect(JSON.parse(logged()[0] as string)).toMatchObject({
      decision: 'origin-unreachable',
      ray,
      detail: expect.stringContaining('the origin http://127.0.0.1:9 could not be reached'),
    });
  });

  it('correlates a 502 without cf-ray (local runtimes) by a generated id found in the log', async () => {
    guard = await startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture');
    const response = await send(guard.url, '/hello');
    const id = /request id ([\w-]+)/.exec(response.body)?.[1] as string;
    await expect.poll(() => guard?.logs.some((line) => JSON.parse(line).ray === id)).toBe(true);
  });
});

describe('forwarding loops', () => {
  it('answers 508 when ORIGIN is empty and the request URL is the guard itself (wrangler dev)', async () => {
    guard = await startGuard({ ORIGIN: '' }, 'fixture');
    // identity: workerd's own fetch asks for br/gzip and would pass the encoded 508 on.
    const response = await send(guard.url, '/hello', { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(508);
    expect(response.body).toContain('this request has already passed through this guard');
  });

  it('ends a self-loop (ORIGIN is the guard itself) with 508 on its first return, the origin untouched', async () => {
    const port = await freePort();
    guard = await startGuard({ ORIGIN: `http://127.0.0.1:${port}` }, 'fixture', { port });
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(508);
    expect(guard.origin.started).toBe(0);
    // One forward, one 508: the request went round once, not until file descriptors ran out.
    await expect.poll(() => guard?.logs.filter((line) => line.includes('"status":508'))).toHaveLength(1);
  });
});

describe('chained guards', () => {
  let front: GuardServer | undefined;
  afterEach(async () => {
    await front?.close();
    front = undefined;
  });

  it('passes a request through two guards in a chain to the origin, each adding its Via entry', async () => {
    guard = await startGuard({}, 'fixture');
    front = await startGuard({ ORIGIN: guard.url }, 'fixture');
    const response = await send(front.url, '/hello', { headers: { via: '1.1 corporate-proxy' } });
    expect(response.status).toBe(200);
    expect(guard.origin.requests).toHaveLength(1);
    expect(guard.origin.requests[0]?.headers.via).toBe(`1.1 corporate-proxy, ${viaOf(front)}, ${viaOf(guard)}`);
  });

  it('still refuses at the first guard what the first guard refuses', async () => {
    guard = await startGuard({}, 'fixture');
    front = await startGuard({ ORIGIN: guard.url }, 'fixture');
    expect((await send(front.url, '/hello', { method: 'POST' })).status).toBe(405);
    expect(guard.origin.started).toBe(0);
  });

  it('ends a loop between two guards (each the ORIGIN of the other) with 508 when the request returns to the first', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    front = await startGuard({ ORIGIN: `http://127.0.0.1:${portB}` }, 'fixture', { port: portA });
    guard = await startGuard({ ORIGIN: `http://127.0.0.1:${portA}` }, 'fixture', { port: portB });
    const response = await send(front.url, '/hello');
    expect(response.status).toBe(508);
    expect(front.origin.started + guard.origin.started).toBe(0);
  });

  it('tells two guards that share a host apart by GUARD_ID', async () => {
    guard = await startGuard({ GUARD_ID: 'production' }, 'fixture');
    const fromStaging = await send(guard.url, '/hello', { headers: { via: '1.1 staging (method-guard)' } });
    expect(fromStaging.status).toBe(200);
    expect(guard.origin.requests[0]?.headers.via).toBe('1.1 staging (method-guard), 1.1 production (method-guard)');
    const returned = await send(guard.url, '/hello', { headers: { via: '1.1 production (method-guard)' } });
    expect(returned.status).toBe(508);
  });
});

describe('bad settings', () => {
  it('names ORIGIN and what it accepts when ORIGIN is not a URL', async () => {
    guard = await startGuard({ ORIGIN: 'not a url' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    expect(response.body).toContain('invalid ORIGIN: expected an http(s) origin');
    expect(response.body).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('names UNMATCHED and its allowed values when UNMATCHED is unknown', async () => {
    guard = await startGuard({ UNMATCHED: 'block' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    expect(response.body).toContain('invalid UNMATCHED: expected one of "forward", "404"');
  });

  it('never shows the rejected value to a client: an ORIGIN is an address, and may hold credentials', async () => {
    guard = await startGuard({ ORIGIN: 'https://deploy:s3cret@origin.internal.example/app' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('origin.internal.example');
    expect(response.body).not.toContain('s3cret');
  });

  it('logs the rejected ORIGIN with its credentials redacted', async () => {
    guard = await startGuard({ ORIGIN: 'https://deploy:s3cret@origin.internal.example/app' }, 'fixture');
    await send(guard.url, '/hello');
    const logged = () => guard?.logs.filter((line) => line.includes('config-error')) ?? [];
    await expect.poll(logged).toHaveLength(1);
    expect(logged()[0]).toContain('https://***@origin.internal.example/app');
    expect(guard.logs.join('\n')).not.toContain('s3cret');
    expect(guard.logs.join('\n')).not.toContain('deploy:');
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
