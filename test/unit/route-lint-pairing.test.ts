/**
 * The route table and lint compare routes through an index (the table's own
 * method map, asked once per sample path), not every route with every other:
 * the report must be the very one the pairwise comparison gives.
 */
import fc from 'fast-check';
import { type RouteEntry, Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { importOpenApi, routerOf } from '../../src/cli/openapi/import.ts';
import { loadDocument } from '../../src/cli/openapi/load.ts';
import { analyzeRouter, pairwisePairing, type RouterLike } from '../../src/cli/route-table.ts';
import { parseConfig } from '../../src/guard/config.ts';

const GITHUB = 'node_modules/@octokit/openapi/generated/api.github.com.json';

/** Segment forms: literals shared between routes, every itty token, regex syntax, other routers' spellings. */
const SEGMENTS: readonly ((n: number) => string)[] = [
  () => 'a',
  () => 'b',
  () => 'api',
  () => 'API',
  () => 'x.y',
  () => 'new',
  (n) => `:p${n}`,
  (n) => `:p${n}?`,
  (n) => `:p${n}+`,
  () => '*',
  (n) => `:p${n}.:e${n}`,
  (n) => `.:e${n}`,
  () => 'a\\x2eb',
  () => 'ab?',
  () => '{id}',
  () => '..',
];
const METHODS = ['get', 'post', 'put', 'delete', 'all', 'trace', 'connect'] as const;

const routeArb = fc.record({
  method: fc.constantFrom(...METHODS),
  segments: fc.array(fc.nat(SEGMENTS.length - 1), { maxLength: 3 }),
  trailingSlash: fc.boolean(),
  handlers: fc.nat(2),
});

/**
 * Custom entries, some with a path that is not what their RegExp says (so a pattern has two RegExps), and
 * one RegExp with and without `i`: alike in shape, not in the paths they match.
 */
const customArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'ALL'),
  regexp: fc.constantFrom(/^\/a\/*$/, /^\/a(\/.*)?\/*$/, /^\/A\/*$/i, /^\/A\/*$/, /^\/b\/*$/, /^\/(a|b)\/*$/),
  path: fc.constantFrom('/a', '/A', '/b', '/a/*', undefined),
  handlers: fc.nat(1),
});

const tableArb = fc.record({
  custom: fc.array(customArb, { maxLength: 3 }),
  routes: fc.array(routeArb, { minLength: 1, maxLength: 14 }),
  profile: fc.constantFrom('strict', 'express', 'rails', 'aspnet'),
  strict: fc.boolean(),
});

type Table = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

const handler = () => undefined;

function buildRouter({ custom, routes }: Table): RouterLike {
  const seeded: RouteEntry[] = custom.map(({ method, regexp, path, handlers }) => [
    method,
    regexp,
    Array.from({ length: handlers }, () => handler),
    path,
  ]);
  const router = Router({ routes: seeded });
  for (const { method, segments, trailingSlash, handlers } of routes) {
    const path = `/${segments.map((s, n) => (SEGMENTS[s] as (n: number) => string)(n)).join('/')}${trailingSlash ? '/' : ''}`;
    const add = (router as unknown as Record<string, (path: string, ...handlers: unknown[]) => unknown>)[method];
    add?.(path, ...Array.from({ length: handlers }, () => handler));
  }
  return router;
}

describe('the route lint, compared through the index', () => {
  it('reports what comparing every pair of routes reports, on random tables', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const router = buildRouter(table);
        const options = parseConfig({
          ORIGIN_PROFILE: table.profile,
          ...(table.strict ? { STRICT_TRAILING_SLASH: 'true' } : {}),
        });
        expect(analyzeRouter(router, options)).toEqual(analyzeRouter(router, options, pairwisePairing));
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it("reports what comparing every pair reports on GitHub's REST API", { timeout: 60_000 }, async () => {
    const router = routerOf((await importOpenApi(await loadDocument(GITHUB))).routes);
    const indexed = analyzeRouter(router);
    expect(indexed.findings.length).toBeGreaterThan(0);
    expect(indexed).toEqual(analyzeRouter(router, undefined, pairwisePairing));
  });
});
