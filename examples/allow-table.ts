/**
 * Test support for the examples: what the real guard (createGuard, the same code
 * the Worker runs) answers for a router, without an origin, and the tests every
 * example's Allow table must pass.
 */
import { expect, it } from 'vitest';
import { analyzeRouter } from '../src/cli/route-table.ts';
import { parseConfig } from '../src/guard/config.ts';
import { type Decision, decide } from '../src/guard/decide.ts';
import { createGuard, type SiteRouter } from '../src/guard/guard.ts';
import { compileMethodMap } from '../src/guard/map/method-map.ts';

// Decisions are logged elsewhere (test/integration/logs.test.ts); here they are noise.
const ENV = { ORIGIN: 'http://origin.invalid', LOG_LEVEL: 'off' };
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface GuardProbe {
  /** The guard's answer to a request that no origin needs to see (405, OPTIONS, edge handlers). */
  fetch(method: string, path: string, init?: RequestInit): Promise<Response>;
  /** The pure decision for a request, for methods that would be forwarded. */
  decision(method: string, path: string): Decision;
}

export function probeGuard(router: SiteRouter): GuardProbe {
  const guard = createGuard(router);
  const config = parseConfig(ENV);
  const map = compileMethodMap(router.routes, config);
  return {
    fetch: async (method, path, init = {}) =>
      guard.fetch(new Request(new URL(path, 'https://site.example'), { ...init, method }), ENV),
    decision(method, path) {
      const url = new URL(path, 'https://site.example');
      return decide(map, { method, url, headers: new Headers() }, config);
    },
  };
}

/**
 * The tests that prove an example's Allow table: `table` maps one path of each
 * pattern, in route order, to its Allow. `init` goes with every request (e.g. the
 * credentials an edge handler checks, so the 405 is what is tested).
 */
export function allowTableTests(router: SiteRouter, table: Record<string, string>, init: RequestInit = {}): void {
  const guard = probeGuard(router);
  const rows = Object.entries(table);

  it.each(rows)('answers OPTIONS %s with Allow: %s', async (path, allow) => {
    expect((await guard.fetch('OPTIONS', path, init)).headers.get('allow')).toBe(allow);
  });

  it.each(rows)('refuses every other method on %s with 405 and that Allow', async (path, allow) => {
    for (const method of METHODS.filter((m) => !allow.split(', ').includes(m))) {
      const response = await guard.fetch(method, path, init);
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
    }
  });

  it('has exactly the patterns of the Allow table, as npm run routes prints them', () => {
    expect(analyzeRouter(router).table.map((row) => row.allow?.join(', '))).toEqual(Object.values(table));
  });

  it('passes the route lint', () => {
    expect(analyzeRouter(router).findings).toEqual([]);
  });
}
