/** UNMATCHED_404 in workerd: undeclared paths under chosen subtrees get 404 at the edge, the rest are forwarded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

let guard: GuardServer;
let report: GuardServer;
beforeAll(async () => {
  [guard, report] = await Promise.all([
    startGuard({ UNMATCHED_404: '/api/*, /admin/*' }, 'fixture'),
    startGuard({ UNMATCHED_404: '/api/*', MODE: 'report' }, 'fixture'),
  ]);
});
afterAll(() => Promise.all([guard, report].map((g) => g?.close())));

async function originSees(server: GuardServer, target: string, method = 'GET') {
  const before = server.origin.requests.length;
  const response = await send(server.url, target, { method, body: method === 'GET' ? undefined : 'x' });
  return { status: response.status, seen: server.origin.requests.slice(before).map((r) => `${r.method} ${r.url}`) };
}

describe('UNMATCHED_404', () => {
  it.each([
    ['DELETE', '/api/internal/reset'],
    ['GET', '/api/v2/items'],
    ['GET', '/admin'],
    ['POST', '/ADMIN/users'],
  ])('answers %s %s 404 at the edge: no route declares it, and it is under a listed prefix', async (method, target) => {
    expect(await originSees(guard, target, method)).toEqual({ status: 404, seen: [] });
  });

  it('forwards undeclared paths elsewhere, as UNMATCHED=forward says', async () => {
    expect(await originSees(guard, '/blog/post', 'DELETE')).toEqual({ status: 200, seen: ['DELETE /blog/post'] });
    expect(await originSees(guard, '/apix')).toEqual({ status: 200, seen: ['GET /apix'] });
  });

  it('leaves declared paths under the prefix to their routes', async () => {
    expect(await originSees(guard, '/api/items')).toEqual({ status: 200, seen: ['GET /api/items'] });
    expect((await originSees(guard, '/api/items', 'DELETE')).status).toBe(405);
  });

  it('in report mode forwards such a path and logs a would-refuse 404 naming the prefix', async () => {
    expect(await originSees(report, '/api/internal/reset', 'DELETE')).toEqual({
      status: 200,
      seen: ['DELETE /api/internal/reset'],
    });
    const lines = () =>
      report.logs
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((entry) => entry.decision === 'would-refuse');
    await expect.poll(() => lines().length).toBe(1);
    expect(lines()[0]).toMatchObject({ status: 404, method: 'DELETE', path: '/api/internal/reset', route: '/api/*' });
  });
});
