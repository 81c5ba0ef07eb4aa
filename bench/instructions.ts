/**
 * Part 6: instructions per request, counted by valgrind (callgrind) in workerd.
 * An instruction count moves less with other work on the machine than req/s
 * and CPU time, but it does move: workerd's event loop counts instructions
 * while it waits (on the origin, on the kernel), so the least of a few runs is
 * the figure. It is a proxy, not a time: cache misses and syscalls cost more
 * than their instructions. Each Worker runs under callgrind; after warm-up requests (so
 * V8 has tiered up the hot code) the counters are zeroed, a fixed run of
 * requests is sent over one connection, and the counters are dumped.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bundle, WorkerName } from './bundle.ts';
import { startOrigin, startWorkerd } from './e2e.ts';
import { heading, judge, table, type Verdict, verdictLine } from './report.ts';

const run = promisify(execFile);

export function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Ask {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

const FORWARDED = { method: 'GET', path: '/api/items/42', status: 200 } as const;
const REFUSED = { method: 'DELETE', path: '/api/items', status: 405 } as const;
const OPTIONS = { method: 'OPTIONS', path: '/api/items', status: 204 } as const;

/** Each guard request next to its limit (bench/e2e.ts has the same pairs, timed). */
const PAIRS = [
  { name: 'forward', limit: { name: 'pass-through', worker: 'pass-through', ask: FORWARDED }, min: 0.95 },
  { name: '405 at the edge', limit: { name: 'constant 405', worker: 'constant', ask: REFUSED }, min: 0.9 },
  { name: 'OPTIONS at the edge', limit: { name: 'constant 204', worker: 'constant', ask: OPTIONS }, min: 0.9 },
] as const;

/** Headers workerd writes itself: the constant Worker must not set them. */
const WIRE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'server']);

/** `requests` sequential requests over one keep-alive connection. */
async function send(url: string, ask: Ask, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${url}${ask.path}`, { method: ask.method });
    await response.arrayBuffer();
    if (response.status !== ask.status) throw new Error(`${ask.method} ${ask.path}: ${response.status}`);
  }
}

/**
 * The fewest instructions per request over `runs` runs. Waiting costs instructions
 * too: under valgrind a run that waits longer on the origin (or the kernel) counts
 * up to twice as many in workerd's event loop for the same work, never fewer.
 */
export async function leastInstructionsPerRequest(
  bundle: Bundle,
  vars: Record<string, string>,
  ask: Ask,
  counts: { warm: number; requests: number },
  runs: number,
): Promise<{ least: number; all: number[] }> {
  const all: number[] = [];
  for (let run = 0; run < runs; run++) all.push(await instructionsPerRequest(bundle, vars, ask, counts));
  return { least: Math.min(...all), all };
}

export async function instructionsPerRequest(
  bundle: Bundle,
  vars: Record<string, string>,
  ask: Ask,
  { warm, requests }: { warm: number; requests: number },
): Promise<number> {
  const out = join(bundle.dir, 'callgrind.out');
  const worker = await startWorkerd(
    bundle,
    vars,
    [],
    [
      'valgrind',
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--smc-check=all-non-file',
      '--separate-threads=yes',
      '--quiet',
    ],
  );
  try {
    await send(worker.url, ask, warm);
    await run('callgrind_control', ['--zero', String(worker.pid)]);
    await send(worker.url, ask, requests);
    await run('callgrind_control', ['--dump', String(worker.pid)]);
    // One dump per thread: V8 compiles and collects garbage beside the request thread, and that counts too.
    const dumps = readdirSync(bundle.dir).filter((f) => f.startsWith('callgrind.out.1-'));
    const perThread = dumps.map((f) => {
      const text = readFileSync(join(bundle.dir, f), 'utf8');
      rmSync(join(bundle.dir, f));
      return Number(/^totals:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    });
    return perThread.reduce((a, b) => a + b, 0) / requests;
  } finally {
    await worker.close();
    for (const f of readdirSync(bundle.dir)) if (f.startsWith('callgrind.out')) rmSync(join(bundle.dir, f));
  }
}

export interface InstructionsResult {
  /** Instructions per request, per measured Worker and request. */
  readonly perRequest: Record<string, number>;
  readonly verdicts: Verdict[];
}

export async function instructionsBench(
  bundles: Record<WorkerName, Bundle>,
  { quick }: { quick: boolean },
): Promise<InstructionsResult> {
  // A short warm-up leaves V8 still compiling the hot code during the counted requests. Even
  // so the same Worker counts from 1× to 2× between runs (waiting counts: leastInstructions…),
  // so each figure is the least of three runs.
  const counts = quick ? { warm: 1000, requests: 300 } : { warm: 4000, requests: 2000 };
  const runs = quick ? 1 : 3;
  heading(
    `6. Instructions per request in workerd (valgrind callgrind; ${counts.requests} requests after ${counts.warm}, least of ${runs} runs)`,
  );
  const origin = await startOrigin();
  try {
    const guard = { ORIGIN: origin.url };
    const perRequest: Record<string, number> = {};
    const runsOf: Record<string, number[]> = {};
    const verdicts: Verdict[] = [];
    for (const pair of PAIRS) {
      let limitVars: Record<string, string> = guard;
      if (pair.limit.worker === 'constant') {
        // The same bytes the guard sends, as in part 2.
        const probe = await startWorkerd(bundles['method-guard'], guard);
        try {
          const response = await fetch(`${probe.url}${pair.limit.ask.path}`, { method: pair.limit.ask.method });
          const headers = Object.fromEntries([...response.headers].filter(([n]) => !WIRE_HEADERS.has(n)));
          limitVars = {
            STATUS: String(response.status),
            HEADERS: JSON.stringify(headers),
            BODY: await response.text(),
          };
        } finally {
          await probe.close();
        }
      }
      const limitRuns = await leastInstructionsPerRequest(
        bundles[pair.limit.worker],
        limitVars,
        pair.limit.ask,
        counts,
        runs,
      );
      const guardRuns = await leastInstructionsPerRequest(bundles['method-guard'], guard, pair.limit.ask, counts, runs);
      const [limit, guarded] = [limitRuns.least, guardRuns.least];
      perRequest[pair.limit.name] = limit;
      perRequest[`method-guard, ${pair.name}`] = guarded;
      runsOf[pair.limit.name] = limitRuns.all;
      runsOf[`method-guard, ${pair.name}`] = guardRuns.all;
      verdicts.push(
        judge({
          name: `${pair.name}, instructions`,
          ratio: limit / guarded,
          bound: 'min',
          limit: pair.min,
          over: `${pair.limit.name} / method-guard instructions per request`,
        }),
      );
    }
    console.log(
      table(
        ['Worker, request', 'instructions / request (least)', 'every run'],
        Object.entries(perRequest).map(([name, n]) => [
          name,
          Math.round(n).toLocaleString('en'),
          (runsOf[name] ?? []).map((r) => `${Math.round(r / 1000)}k`).join(', '),
        ]),
      ),
    );
    for (const v of verdicts) console.log(verdictLine(v));
    return { perRequest, verdicts };
  } finally {
    await origin.close();
  }
}
