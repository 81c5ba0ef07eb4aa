/**
 * Part 1, in-process: what one decision costs at 10, 100 and 1,000 routes, for
 * the guard (compiled trie), the guard over the reference regex scan (what it
 * did before the trie), the trie's lookup alone, itty's own dispatch, and Hono's
 * RegExpRouter with a hand-written 405 check, all on the same tables.
 */
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { Router } from 'itty-router';
import { do_not_optimize, measure } from 'mitata';
import { parseConfig } from '../src/guard/config.ts';
import { decide } from '../src/guard/decide.ts';
import { compileMethodMap, scanMethodMap } from '../src/guard/map/method-map.ts';
import { heading, judge, ns, ratio, table, type Verdict, verdictLine } from './report.ts';
import { type Probe, probes, type Route, routeTable, SIZES } from './tables.ts';

export const CONTENDERS = [
  'guard (trie)',
  // The same guard reading only the exact path (issue 9): 'guard (trie)' runs the default, ORIGIN_PROFILE=any.
  'guard, ORIGIN_PROFILE=strict',
  'guard (regex scan)',
  'trie lookup alone',
  'itty dispatch',
  'hono RegExpRouter + 405',
] as const;
type Contender = (typeof CONTENDERS)[number];

export interface DecisionResult {
  /** ns per decision: mitata's median sample, the best of the rounds. */
  readonly ns: Record<Contender, Record<number, Record<Probe['name'], number>>>;
  /** ms to compile the map once, per table size: the trie and the scan. */
  readonly compileMs: Record<number, { trie: number; scan: number }>;
  readonly verdicts: Verdict[];
}

const config = parseConfig({ ORIGIN: 'http://127.0.0.1:9' });
const strictConfig = parseConfig({ ORIGIN: 'http://127.0.0.1:9', ORIGIN_PROFILE: 'strict' });

function ittyRouter(routes: readonly Route[]) {
  const router = Router();
  for (const { method, path } of routes) router[method.toLowerCase() as 'get'](path);
  return router;
}

/** Hono has no 405: register every route for ALL with its method as the handler, and read the union. */
function honoDecide(routes: readonly Route[]) {
  const router = new RegExpRouter<string>();
  for (const { method, path } of routes) router.add('ALL', path, method);
  return (method: string, path: string) => {
    const [matched] = router.match(method, path);
    if (matched.length === 0) return { status: 0 };
    const allow = new Set<string>();
    for (const [declared] of matched) allow.add(declared);
    if (allow.has(method) || (method === 'HEAD' && allow.has('GET'))) return { status: 0 };
    return { status: 405, allow: [...allow] };
  };
}

/** One decision per call, for each contender, on one table and probe. */
function decisionFns(routes: readonly Route[], probe: Probe): Record<Contender, () => unknown> {
  const router = ittyRouter(routes);
  const trie = compileMethodMap(router.routes, config);
  const scan = scanMethodMap(router.routes, config);
  const facts = { method: probe.method, url: new URL(`https://site.example${probe.path}`), headers: new Headers() };
  const request = new Request(facts.url, { method: probe.method });
  const hono = honoDecide(routes);
  return {
    'guard (trie)': () => decide(trie, facts, config),
    'guard, ORIGIN_PROFILE=strict': () => decide(trie, facts, strictConfig),
    'guard (regex scan)': () => decide(scan, facts, config),
    // The map's part of the decision, comparable with Hono's router (no canonical path, overrides, Allow).
    'trie lookup alone': () => trie.lookup(probe.path),
    'itty dispatch': () => router.fetch(request),
    'hono RegExpRouter + 405': () => hono(probe.method, probe.path),
  };
}

export async function decisionBench({ quick }: { quick: boolean }): Promise<DecisionResult> {
  const rounds = quick ? 1 : 3;
  heading(`1. Decision cost (in-process, mitata; median ns per decision, best of ${rounds} rounds)`);
  const result = Object.fromEntries(
    CONTENDERS.map((c) => [c, Object.fromEntries(SIZES.map((s) => [s, {}]))]),
  ) as DecisionResult['ns'];
  const opts = { min_cpu_time: (quick ? 50 : 150) * 1e6 };
  // Rounds interleave sizes and contenders, so a burst of load elsewhere on the machine
  // lands on one round of one figure, and the best round of each is kept.
  for (let round = 0; round < rounds; round++) {
    for (const size of SIZES) {
      const routes = routeTable(size);
      for (const probe of probes(size)) {
        const fns = decisionFns(routes, probe);
        for (const contender of CONTENDERS) {
          const fn = fns[contender];
          const bench =
            contender === 'itty dispatch' ? async () => do_not_optimize(await fn()) : () => do_not_optimize(fn());
          const { p50 } = await measure(bench, opts);
          const bySize = result[contender][size] as Record<Probe['name'], number>;
          bySize[probe.name] = Math.min(bySize[probe.name] ?? Number.POSITIVE_INFINITY, p50);
        }
      }
    }
  }

  const rows: string[][] = [];
  for (const contender of CONTENDERS) {
    for (const probe of ['allowed', '405', 'unmatched'] as const) {
      const at = (size: number) => result[contender][size]?.[probe] ?? Number.NaN;
      const guard = (size: number) => result['guard (trie)'][size]?.[probe] ?? Number.NaN;
      rows.push([
        `${contender}, ${probe}`,
        ...SIZES.map((s) => `${ns(at(s))} (${ratio(at(s), guard(s))})`),
        ratio(at(1000), at(10)),
      ]);
    }
  }
  console.log(table(['contender, request', ...SIZES.map((s) => `${s} routes (/guard)`), '1000 / 10 routes'], rows));
  console.log('(/guard: cost relative to guard (trie) on the same table and request; itty dispatch is async)');

  // What the trie costs once per isolate (on the first request), next to the scan it replaces.
  const compileMs: DecisionResult['compileMs'] = {};
  for (const size of SIZES) {
    const { routes } = ittyRouter(routeTable(size));
    const time = async (compile: typeof compileMethodMap) =>
      (await measure(() => do_not_optimize(compile(routes, config)), { min_cpu_time: 50e6 })).p50 / 1e6;
    compileMs[size] = { trie: await time(compileMethodMap), scan: await time(scanMethodMap) };
  }
  console.log(
    `compiling the map, once per router: ${SIZES.map((s) => {
      const { trie, scan } = compileMs[s] as { trie: number; scan: number };
      return `${s} routes ${trie.toFixed(2)} ms (${ratio(trie, scan)} the scan's ${scan.toFixed(2)} ms)`;
    }).join(', ')}`,
  );

  const verdicts = (['allowed', '405', 'unmatched'] as const).map((probe) => {
    const costs = result['guard (trie)'];
    return judge({
      name: `decision cost at 1,000 routes, ${probe}`,
      ratio: (costs[1000]?.[probe] ?? 0) / (costs[10]?.[probe] ?? 1),
      bound: 'max',
      limit: 3,
      over: 'guard at 1,000 routes / guard at 10 routes',
    });
  });
  // Issue 9: reading the path every way an origin may costs at most twice the exact reading alone.
  for (const probe of ['allowed', '405', 'unmatched'] as const) {
    verdicts.push(
      judge({
        name: `ORIGIN_PROFILE=any vs strict at 1,000 routes, ${probe}`,
        ratio:
          (result['guard (trie)'][1000]?.[probe] ?? 0) / (result['guard, ORIGIN_PROFILE=strict'][1000]?.[probe] ?? 1),
        bound: 'max',
        limit: 2,
        over: 'guard (any) / guard (strict), same table and request',
      }),
    );
  }
  for (const v of verdicts) console.log(verdictLine(v));
  return { ns: result, compileMs, verdicts };
}
