import fc from 'fast-check';
import { type RouteEntry, Router, type RouterType } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { compileMethodMap, type MethodMapOptions, scanMethodMap } from '../../src/guard/map/method-map.ts';
import type { Declared } from '../../src/guard/map/methods.ts';

const OPTION_SETS: MethodMapOptions[] = [
  { strictTrailingSlash: false, caseInsensitive: false },
  { strictTrailingSlash: true, caseInsensitive: false },
  { strictTrailingSlash: false, caseInsensitive: true },
  { strictTrailingSlash: true, caseInsensitive: true },
];

const CAPITAL = /[A-Z]/;

/** Comparable form: methods sorted. */
const plain = (declared: Declared | null) => declared && { methods: [...declared.methods].sort(), all: declared.all };

// ---- random route tables -------------------------------------------------

/** Segment forms; `n` keeps param names unique within a route, as itty's RegExp requires. */
const SEGMENTS: readonly ((n: number) => string)[] = [
  () => 'a',
  () => 'b',
  () => 'api',
  () => 'API',
  () => 'x.y',
  () => 'K', // ASCII K; the keys also carry the Kelvin sign U+212A
  () => 'é',
  (n) => `:p${n}`,
  (n) => `:p${n}?`,
  (n) => `:p${n}+`,
  (n) => `:p${n}+?`,
  () => '*',
  (n) => `:p${n}.:e${n}`,
  (n) => `v:p${n}`,
  (n) => `f.:e${n}?`,
  (n) => `.:e${n}`,
  // Regex syntax itty passes through: these routes must fall back to the scan.
  () => 'ab?',
  () => 'x|y',
  () => 'a*',
  (n) => `:p${n}?-x`,
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'ALL', 'get'] as const;
const BASES = ['', '/api', '/API/v1', '/:t', '/'] as const;

const routeArb = fc.record({
  method: fc.constantFrom(...METHODS),
  segments: fc.array(fc.nat(SEGMENTS.length - 1), { maxLength: 4 }),
  trailingSlash: fc.boolean(),
});

/** A custom `routes` entry: a RegExp of its own, and a path that may or may not say the same. */
const customArb = fc.record({
  method: fc.constantFrom(...METHODS),
  // `[!-_]` holds the capitals and none of their lowercase, `\x4b` is K: `i` tells `/k` from `/K` without a
  // capital written. `\x2e` is a dot, the same in both modes; `\u0061` is a, `u` makes `i` relate K (Kelvin) to k,
  // and `é` folds to `É`.
  regexp: fc.constantFrom(
    /^\/a\/*$/,
    /^\/A\/b/i,
    /^\/(a|b)\/[^/]+\/*$/,
    /x/,
    /^\/*$/,
    /^\/[!-_]\/*$/,
    /^\/\x4b\/*$/,
    /^\/x\x2ey\/*$/,
    /^\/\u0061\/*$/,
    /^\/k\/*$/u,
    /^\/é\/*$/,
  ),
  path: fc.constantFrom('/a', '/b', '/a/:p0', undefined),
});

const tableArb = fc.record({
  base: fc.constantFrom(...BASES),
  routes: fc.array(routeArb, { maxLength: 12 }),
  custom: fc.array(customArb, { maxLength: 2 }),
});

type Table = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

function buildRoutes({ base, routes, custom }: Table): RouteEntry[] {
  const seeded: RouteEntry[] = custom.map(({ method, regexp, path }) => [method, regexp, [], path]);
  const router = Router({ base, routes: seeded });
  for (const { method, segments, trailingSlash } of routes) {
    const path = `/${segments.map((s, n) => (SEGMENTS[s] as (n: number) => string)(n)).join('/')}${trailingSlash ? '/' : ''}`;
    (router as unknown as Record<string, (path: string) => unknown>)[method.toLowerCase()]?.(path);
  }
  return router.routes;
}

// ---- random keys ---------------------------------------------------------

const KEY_SEGMENTS = ['a', 'b', 'api', 'API', 'v1', 'x.y', 'x', 'y', 'k', 'K', '\u212a', 'é', 'É', '1', 'f.png'];
const KEY_SEGMENTS_RARE = ['', 'ab', 'a-x', '-x', '.png', 'f.', 'x|y', 'a\nb', 'v2.1'];

const keyArb = fc
  .record({
    segments: fc.array(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...KEY_SEGMENTS) }, fc.constantFrom(...KEY_SEGMENTS_RARE)),
      {
        maxLength: 6,
      },
    ),
    trailing: fc.constantFrom('', '', '/', '//'),
    upper: fc.boolean(),
    leadingSlash: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
  })
  .map(({ segments, trailing, upper, leadingSlash }) => {
    const key = `${leadingSlash ? '/' : ''}${segments.join('/')}${trailing}`;
    return upper ? key.toUpperCase() : key;
  });

/** Keys that hit the table: its own paths with every param filled in. */
function keysFromRoutes(routes: readonly RouteEntry[]): string[] {
  return routes
    .map(([, , , path]) => path)
    .filter((path): path is string => typeof path === 'string')
    .map((path) => path.replace(/:\w+[+?]*/g, 'x').replace(/\*/g, 'a/b') || '/');
}

describe('the compiled method map', () => {
  for (const options of OPTION_SETS) {
    it(`answers every lookup exactly as the scan does, patterns included (${JSON.stringify(options)})`, () => {
      fc.assert(
        fc.property(tableArb, fc.array(keyArb, { minLength: 5, maxLength: 15 }), (table, randomKeys) => {
          const routes = buildRoutes(table);
          const scanned = scanMethodMap(routes, options);
          const keys = [...randomKeys, ...keysFromRoutes(routes), '', '/'];
          // The trie grows as lookups walk it: a second map, asked in the other order, grows another way.
          for (const order of [keys, [...keys].reverse()]) {
            const compiled = compileMethodMap(routes, options);
            for (const key of order) {
              const [got, want] = [compiled.lookup(key), scanned.lookup(key)];
              expect(plain(got), `key ${JSON.stringify(key)}`).toEqual(plain(want));
              // The patterns too, in the order the rules declare them (logs and counters name them).
              expect(got?.patterns, `patterns of ${JSON.stringify(key)}`).toEqual(want?.patterns);
              // A folding reading asks in the other mode (readings.ts): answered by this mode's map when that is exact.
              const other = { caseInsensitive: !options.caseInsensitive };
              const [across, wantAcross] = [compiled.lookup(key, other), scanned.lookup(key, other)];
              expect(plain(across), `key ${JSON.stringify(key)}, other mode`).toEqual(plain(wantAcross));
              expect(across?.patterns, `patterns of ${JSON.stringify(key)}, other mode`).toEqual(wantAcross?.patterns);
              // Where the map says folding does not matter at a path without a capital (readings.ts then reads
              // it exactly), the scan finds the same in both modes: custom RegExps that name capitals without
              // writing one (`[!-_]`, `\x4b`, `u`) included.
              if (!CAPITAL.test(key) && !compiled.caseMattersAt(key)) {
                const folded = scanned.lookup(key, { caseInsensitive: true });
                const exact = scanned.lookup(key, { caseInsensitive: false });
                expect(plain(folded), `key ${JSON.stringify(key)} folded`).toEqual(plain(exact));
                expect(folded?.patterns, `patterns of ${JSON.stringify(key)} folded`).toEqual(exact?.patterns);
              }
            }
          }
        }),
        { numRuns: 1500 },
      );
      // Compiling a map per case: seconds on shared cores, beyond vitest's default 5 s.
    }, 60_000);
  }
});

describe('the route patterns a lookup names', () => {
  it('names each matching pattern once, as written, whatever its methods', () => {
    const map = mapOf((r) =>
      r.get('/files/*').put('/files/uploads/*').get('/files/uploads/:name').delete('/files/uploads/:name'),
    );
    expect(map.lookup('/files/uploads/cat.png')?.patterns).toEqual([
      '/files/*',
      '/files/uploads/*',
      '/files/uploads/:name',
    ]);
  });
});

// ---- examples -----------------------------------------------------------

const LOOSE: MethodMapOptions = { strictTrailingSlash: false, caseInsensitive: false };
const STRICT: MethodMapOptions = { strictTrailingSlash: true, caseInsensitive: false };

function mapOf(build: (router: RouterType) => void, options = LOOSE) {
  const router = Router();
  build(router);
  return compileMethodMap(router.routes, options);
}

describe('compiled lookups', () => {
  it('unions the methods of every route matching a path', () => {
    const map = mapOf((r) => r.get('/items/:id').delete('/items/:id').put('/items/special'));
    expect(plain(map.lookup('/items/special'))).toEqual({ methods: ['DELETE', 'GET', 'PUT'], all: false });
  });

  it('matches a param against one non-empty segment only', () => {
    const map = mapOf((r) => r.get('/items/:id'));
    expect(map.lookup('/items/42')).not.toBeNull();
    expect(map.lookup('/items')).toBeNull();
    expect(map.lookup('/items/42/parts')).toBeNull();
  });

  it('lets a mid-path wildcard stand for zero or more segments', () => {
    const map = mapOf((r) => r.get('/files/*/raw'));
    for (const key of ['/files/raw', '/files/a/raw', '/files/a/b/c/raw']) expect(map.lookup(key)).not.toBeNull();
    expect(map.lookup('/files/a/raw/x')).toBeNull();
  });

  it('matches a `.:ext` param within its segment', () => {
    const map = mapOf((r) => r.get('/docs/:name.:ext'));
    expect(map.lookup('/docs/report.v2.pdf')).not.toBeNull();
    expect(map.lookup('/docs/report')).toBeNull();
  });

  it('ignores trailing slashes unless strictTrailingSlash, where "/" still matches the root route', () => {
    const build = (r: RouterType) => r.get('/').get('/items');
    expect(mapOf(build).lookup('/items/')).not.toBeNull();
    expect(mapOf(build, STRICT).lookup('/items/')).toBeNull();
    expect(mapOf(build, STRICT).lookup('/')).not.toBeNull();
  });

  it('folds only ASCII letters when case-insensitive, as the RegExp `i` flag does', () => {
    const map = mapOf((r) => r.get('/kit'), { strictTrailingSlash: false, caseInsensitive: true });
    expect(map.lookup('/KIT')).not.toBeNull();
    expect(map.lookup('/\u212aIT')).toBeNull(); // Kelvin sign: toLowerCase() would say "kit"
  });

  it('walks each place once, so wildcards in a row stay cheap on a long path', () => {
    const map = mapOf((r) => r.get('/*/*/*/*/*/*/x'));
    const started = performance.now();
    expect(map.lookup(`${'/a'.repeat(40)}/x`)).not.toBeNull();
    expect(map.lookup(`${'/a'.repeat(40)}/y`)).toBeNull(); // C(40, 6) splits, were each walked: over a second
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('still answers for a custom RegExp the trie cannot represent, through the scan', () => {
    const router = Router({ routes: [['POST', /^\/legacy\/\d+$/, [], '/legacy/:id']] });
    router.get('/legacy/:id');
    const map = compileMethodMap(router.routes, LOOSE);
    expect(plain(map.lookup('/legacy/7'))).toEqual({ methods: ['GET', 'POST'], all: false });
    expect(plain(map.lookup('/legacy/x'))).toEqual({ methods: ['GET'], all: false });
  });
});

describe('whether folding case can matter', () => {
  const EXACT = { strictTrailingSlash: false, caseInsensitive: false };
  const custom = (regexp: RegExp): RouteEntry[] => [['GET', regexp, []]];

  const OCTAL_A = String.raw`\101`;
  // Each RegExp tells a path without capitals from itself folded, though no capital stands in it for a letter.
  it.each([
    [/^\/\x41dmin\/*$/, '/admin'],
    [/^\/\u0041dmin\/*$/, '/admin'],
    // An octal escape (ECMA-262 Annex B), built from text: TypeScript reads `\101` in a literal as a backreference.
    [new RegExp(`^\\/${OCTAL_A}dmin\\/*$`), '/admin'],
    [/^\/[!-_]dmin\/*$/, '/admin'],
    [/^\/(.)\1\/*$/, '/\u00e9\u00c9'],
    [/^\/x?<A>\/*$/, '/x<a>'],
    [/^\/k\/*$/u, '/\u212a'],
    [/^\/caf\u00e9\/*$/, '/caf\u00c9'],
    [/^\/café\/*$/, '/caf\u00c9'],
  ])('says it matters for %s, which matches %j only when folded', (regexp, path) => {
    const scanned = scanMethodMap(custom(regexp), EXACT);
    expect(scanned.lookup(path, { caseInsensitive: false })).toBeNull();
    expect(scanned.lookup(path, { caseInsensitive: true })).not.toBeNull();
    const compiled = compileMethodMap(custom(regexp), EXACT);
    expect(compiled.caseMatters).toBe(true);
    expect(compiled.caseMattersAt(path)).toBe(true);
  });

  it('says it never matters for itty paths in lowercase, params, wildcards and escaped dots', () => {
    const routes = Router().get('/repos/:owner/:repo').get('/files/*').get('/a/:name.:ext?').get('/z/:rest+').routes;
    routes.push(['GET', /^\/compare\/(?<basehead>[^/]+)\x2e\x2e\x2e[^/]+\/*$/, []]);
    expect(compileMethodMap(routes, EXACT).caseMatters).toBe(false);
  });

  it("honours a custom RegExp's own `i` flag in the exact mode, as itty does", () => {
    const map = compileMethodMap(custom(/^\/admin\/*$/i), EXACT);
    expect(plain(map.lookup('/ADMIN'))).toEqual({ methods: ['GET'], all: false });
  });
});
