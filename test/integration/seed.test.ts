import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';

let guard: GuardServer;
beforeAll(async () => {
  guard = await startGuard();
});
afterAll(() => guard?.close());

describe('the seed example over real HTTP', () => {
  it('serves GET /hello from the origin', async () => {
    const response = await fetch(`${guard.url}/hello`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reached: 'origin', method: 'GET', url: '/hello' });
  });

  it('refuses POST /hello with 405 and the origin never sees it', async () => {
    const before = guard.origin.requests.length;
    const response = await fetch(`${guard.url}/hello`, { method: 'POST', body: 'payload' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(guard.origin.requests.length).toBe(before);
  });
});
