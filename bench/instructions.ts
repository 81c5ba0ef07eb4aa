/**
 * Part 6: instructions per request, counted by valgrind (callgrind) in workerd.
 * Unlike req/s and CPU time, an instruction count does not move when other
 * work loads the machine, so it settles small differences (was a change an
 * improvement?) that the timed runs of part 2 cannot on a shared 2-core box.
 * It is a proxy, not a time: cache misses and syscalls cost more than their
 * instructions. Each Worker runs under callgrind; after warm-up requests (so
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
  // A short warm-up leaves V8 still compiling the hot code during the counted requests, and a
  // short count lets one garbage collection more or less move the figure: 2,000 + 1,000 gave
  // the same Worker 174k and 224k in two runs, 6,000 + 3,000 gave 193.9k twice.
  const counts = quick ? { warm: 1000, requests: 300 } : { warm: 6000, requests: 3000 };
  heading(
    `6. Instructions per request in workerd (valgrind callgrind; ${counts.requests} requests after ${counts.warm})`,
  );
  const origin = await startOrigin();
  try {
    const guard = { ORIGIN: origin.url };
    const perRequest: Record<string, number> = {};
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
      const limit = await instructionsPerRequest(bundles[pair.limit.worker], limitVars, pair.limit.ask, counts);
      const guarded = await instructionsPerRequest(bundles['method-guard'], guard, pair.limit.ask, counts);
      perRequest[pair.limit.name] = limit;
      perRequest[`method-guard, ${pair.name}`] = guarded;
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
        ['Worker, request', 'instructions / request'],
        Object.entries(perRequest).map(([name, n]) => [name, Math.round(n).toLocaleString('en')]),
      ),
    );
    for (const v of verdicts) console.log(verdictLine(v));
    return { perRequest, verdicts };
  } finally {
    await origin.close();
  }
}
