/**
 * Decision counters in workerd: the bundled guard with a recording dataset bound
 * as METRICS (test/support/guard-server.ts) writes one data point per request,
 * naming the route pattern, never the raw path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPoints, type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

/** A point as the SQL API reads it: blob1 decision, blob2 method, blob3 route, blob4 mode, double1 status. */
const row = (p: { blobs?: string[]; doubles?: number[] }) => {
  const [decision, method, route, mode] = p.blobs ?? [];
  return { decision, method, route, mode, status: p.doubles?.[0] };
};

async function pointsAfter(guard: GuardServer, requests: () => Promise<unknown>, count: number) {
  const before = dataPoints(guard).length;
  await requests();
  await expect.poll(() => dataPoints(guard).length).toBe(before + count);
  return dataPoints(guard).slice(before).map(row);
}

const APP = 'https://app.example';

describe('with METRICS bound', () => {
  let guard: GuardServer;
  let report: GuardServer;
  let unreachable: GuardServer;
  beforeAll(async () => {
    [guard, report, unreachable] = await Promise.all([
      startGuard({ UNMATCHED: '404', CORS_ALLOW_ORIGINS: APP }, 'fixture', { metrics: true }),
      startGuard({ MODE: 'report' }, 'fixture', { metrics: true }),
      startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture', { metrics: true }),
    ]);
  });
  afterAll(() => Promise.all([guard, report, unreachable].map((g) => g?.close())));

  it('writes one data point per decision, with the route pattern, method, status and decision', async () => {
    const requests = async () => {
      await send(guard.url, '/api/items/42');
      await send(guard.url, '/api/items/42', { method: 'POST', body: 'x' });
      await send(guard.url, '/api/items%2F42');
      await send(guard.url, '/nowhere', { method: 'DELETE' });
      await send(guard.url, '/hello', { headers: { via: viaOf(guard) } });
      await send(guard.url, '/hello', { method: 'OPTIONS' });
      await send(guard.url, '/api/items', {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST' },
      });
      await send(guard.url, '/api/items', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      await send(guard.url, '/edge');
    };
    expect(await pointsAfter(guard, requests, 9)).toEqual([
      { decision: 'forward', method: 'GET', route: '/api/items/:id', mode: 'enforce', status: 200 },
      { decision: 'refuse', method: 'POST', route: '/api/items/:id', mode: 'enforce', status: 405 },
      { decision: 'refuse', method: 'GET', route: '', mode: 'enforce', status: 400 },
      { decision: 'refuse', method: 'DELETE', route: '', mode: 'enforce', status: 404 },
      { decision: 'refuse', method: 'GET', route: '', mode: 'enforce', status: 508 },
      { decision: 'options', method: 'OPTIONS', route: '/hello', mode: 'enforce', status: 204 },
      { decision: 'preflight', method: 'OPTIONS', route: '/api/items', mode: 'enforce', status: 204 },
      { decision: 'cors-refused', method: 'OPTIONS', route: '/api/items', mode: 'enforce', status: 204 },
      { decision: 'edge', method: 'GET', route: '/edge', mode: 'enforce', status: 200 },
    ]);
  });

  it('counts an unreachable origin as a 502', async () => {
    expect(await pointsAfter(unreachable, () => send(unreachable.url, '/hello'), 1)).toEqual([
      { decision: 'origin-unreachable', method: 'GET', route: '/hello', mode: 'enforce', status: 502 },
    ]);
  });

  it('counts what report mode would refuse or answer, and what it forwards', async () => {
    const requests = async () => {
      await send(report.url, '/hello', { method: 'POST', body: 'x' });
      await send(report.url, '/hello', { method: 'OPTIONS' });
      await send(report.url, '/hello');
    };
    expect(await pointsAfter(report, requests, 3)).toEqual([
      { decision: 'would-refuse', method: 'POST', route: '/hello', mode: 'report', status: 405 },
      { decision: 'would-answer', method: 'OPTIONS', route: '/hello', mode: 'report', status: 204 },
      { decision: 'forward', method: 'GET', route: '/hello', mode: 'report', status: 200 },
    ]);
  });

  it('never writes the raw path: a thousand distinct paths of one route are one route value', async () => {
    const points = await pointsAfter(
      guard,
      async () => {
        for (let i = 0; i < 20; i++) await send(guard.url, `/articles/secret-${i}`, { method: 'DELETE' });
      },
      20,
    );
    expect(new Set(points.map((p) => p.route))).toEqual(new Set(['/articles/:slug']));
    expect(JSON.stringify(dataPoints(guard))).not.toContain('secret');
  });
});

describe('LOG_SAMPLE', () => {
  it('at 0 writes no refusal line, while every refusal is still counted', async () => {
    const guard = await startGuard({ LOG_SAMPLE: '0' }, 'fixture', { metrics: true });
    try {
      const points = await pointsAfter(
        guard,
        async () => {
          for (let i = 0; i < 10; i++) await send(guard.url, '/hello', { method: 'POST', body: 'x' });
          await send(guard.url, '/hello', { headers: { via: viaOf(guard) } });
        },
        11,
      );
      expect(points.map((p) => p.status)).toEqual([...Array(10).fill(405), 508]);
      const lines = () => guard.logs.filter((line) => line.startsWith('{"source":"method-guard"'));
      // The 508 is a warning: LOG_SAMPLE thins refusal lines only.
      await expect.poll(() => lines().length).toBe(1);
      expect(JSON.parse(lines()[0] as string)).toMatchObject({ level: 'warn', status: 508 });
    } finally {
      await guard.close();
    }
  });

  it('below 1 writes about that fraction of refusal lines, each saying its sample rate', async () => {
    const guard = await startGuard({ LOG_SAMPLE: '0.5' }, 'fixture');
    try {
      for (let i = 0; i < 200; i++) await send(guard.url, '/hello', { method: 'POST', body: 'x' });
      await send(guard.url, '/marker', { headers: { via: viaOf(guard) } });
      const lines = () => guard.logs.filter((line) => line.startsWith('{"source":"method-guard"'));
      await expect.poll(() => lines().some((line) => line.includes('/marker'))).toBe(true);
      const refusals = lines()
        .map((line) => JSON.parse(line))
        .filter((entry) => entry.status === 405);
      // Binomial(200, 0.5): outside 60..140 with probability below 1e-8.
      expect(refusals.length).toBeGreaterThan(60);
      expect(refusals.length).toBeLessThan(140);
      expect(refusals.every((entry) => entry.sample === 0.5)).toBe(true);
    } finally {
      await guard.close();
    }
  });
});

describe('without METRICS', () => {
  it('writes nothing and answers as usual', async () => {
    const guard = await startGuard({}, 'fixture');
    try {
      expect((await send(guard.url, '/hello')).status).toBe(200);
      expect((await send(guard.url, '/hello', { method: 'POST' })).status).toBe(405);
      expect(dataPoints(guard)).toEqual([]);
    } finally {
      await guard.close();
    }
  });

  it('warns once, and counts nothing, when METRICS is a variable rather than a dataset', async () => {
    const guard = await startGuard({ METRICS: 'true' }, 'fixture');
    try {
      expect((await send(guard.url, '/hello')).status).toBe(200);
      expect((await send(guard.url, '/hello', { method: 'POST' })).status).toBe(405);
      const warnings = () => guard.logs.filter((line) => line.includes('"config-warning"'));
      await expect.poll(() => warnings().length).toBe(1);
      expect(JSON.parse(warnings()[0] as string).detail).toContain(
        'METRICS is not an Analytics Engine dataset binding',
      );
    } finally {
      await guard.close();
    }
  });
});
