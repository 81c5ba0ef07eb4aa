/**
 * Part 2, end to end on loopback: wrk (or autocannon) → workerd (the bundles of
 * part 3) → a node origin in its own process. First, which way of running
 * workerd adds the least of its own (workerd directly, miniflare, wrangler's
 * test harness, wrangler dev's startWorker); then every contender on the first
 * of those, in interleaved rounds, so a drift in machine load hits them alike
 * and each ratio is taken within a round. Each guard figure has its limit: a
 * Worker that does nothing but the same thing (forward, or send the same
 * answer's bytes as one constant Response).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { createTestHarness, unstable_readConfig, unstable_startWorker } from 'wrangler';
import type { Bundle, WorkerName } from './bundle.ts';
import { CONNECTIONS, type Load, load, loadGenerator } from './load.ts';
import { heading, judge, ratio, table, type Verdict, verdictLine } from './report.ts';

// ---- processes ------------------------------------------------------------

export interface Running {
  readonly url: string;
  /** The process that serves `url` (workerd, or the origin's node). */
  readonly pid: number;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, ['bench/origin.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return {
    url: line.toString().trim(),
    pid: child.pid as number,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Resident memory of a process, in bytes (VmRSS). */
export function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/** The Worker's own config: its vars, compatibility date and flags, as `wrangler deploy` would use them. */
function configOf(bundle: Bundle) {
  return unstable_readConfig({ config: bundle.config }, { hideWarnings: true });
}

/** workerd's text config for one bundle: its module, compatibility, vars, and an outbound that may reach loopback. */
function workerdConfig(bundle: Bundle, bindings: Record<string, string>): string {
  const config = configOf(bundle);
  const text = (value: string) => JSON.stringify(value);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = ${text(bundle.file)}, esModule = embed ${text(bundle.file)})],
  compatibilityDate = ${text(config.compatibility_date as string)},
  compatibilityFlags = [${config.compatibility_flags.map(text).join(', ')}],
  bindings = [${Object.entries(bindings)
    .map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
    .join(', ')}],
  globalOutbound = "internet",
);
`;
}

/** Log files of the workerd processes this bench started, numbered. */
let started = 0;

const WORKERD = 'node_modules/@cloudflare/workerd-linux-64/bin/workerd';

/**
 * The bundle on workerd itself, the way miniflare starts it but without
 * miniflare's entry Worker in front (which costs the pass-through Worker about
 * two thirds of its throughput here). The port comes back over workerd's control pipe.
 */
export async function startWorkerd(
  bundle: Bundle,
  vars: Record<string, string>,
  /** More `workerd serve` flags, e.g. `--inspector-addr` (bench/profile.ts). */
  flags: readonly string[] = [],
  /** A command workerd runs under, e.g. valgrind (bench/instructions.ts). */
  under: readonly string[] = [],
): Promise<Running & { logLines(): number }> {
  const bindings = { ...(configOf(bundle).vars as Record<string, string>), ...vars };
  const configPath = join(bundle.dir, 'workerd.capnp');
  writeFileSync(configPath, workerdConfig(bundle, bindings));
  const [command, ...rest] = [...under, resolve(WORKERD), 'serve', configPath, '--control-fd=3', ...flags] as [
    string,
    ...string[],
  ];
  // console.* lines go to a file, as a log shipper would take them: over a pipe, every
  // line would wake the bench's own node process, whose work on these 2 cores would
  // then land on whichever Worker logs more. Counted from the file, not printed.
  const logPath = join(bundle.dir, `workerd-${process.pid}-${++started}.log`);
  const log = openSync(logPath, 'w');
  const child = spawn(command, rest, { stdio: ['ignore', log, log, 'pipe'] });
  closeSync(log);
  let lines: number | undefined;
  const countLines = () => {
    if (lines !== undefined) return lines;
    let counted = 0;
    for (const byte of readFileSync(logPath)) if (byte === 10) counted++;
    return counted;
  };
  const control = createInterface({ input: child.stdio[3] as Readable });
  const port = await new Promise<number>((done, fail) => {
    child.once('exit', (code) => {
      const said = readFileSync(logPath, 'utf8').slice(-2000);
      fail(new Error(`workerd exited (${code}) before listening; config ${configPath}\n${said}`));
    });
    control.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; socket?: string; port?: number };
      if (event.event === 'listen' && event.socket === 'http') done(event.port as number);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    logLines: countLines,
    async close() {
      control.close();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      lines = countLines();
      rmSync(logPath, { force: true });
    },
  };
}

/** Miniflare, the runtime behind wrangler dev and the vitest pool: its entry Worker, then the bundle. */
async function startMiniflare(bundle: Bundle, vars: Record<string, string>) {
  const config = configOf(bundle);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: bundle.dir,
    scriptPath: join(bundle.dir, bundle.file),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    bindings: { ...(config.vars as Record<string, string>), ...vars },
    host: '127.0.0.1',
    port: 0,
    // Otherwise the entry Worker reports every request to node over loopback: a second request each.
    logRequests: false,
  });
  const url = await mf.ready;
  return { url: url.href.replace(/\/$/, ''), close: () => mf.dispose() };
}

// ---- which runtime path ----------------------------------------------------

interface Starter {
  readonly name: string;
  start(bundle: Bundle, origin: string): Promise<{ url: string; close(): Promise<void> }>;
}

const STARTERS: readonly Starter[] = [
  { name: 'workerd (direct)', start: (bundle, origin) => startWorkerd(bundle, { ORIGIN: origin }) },
  { name: 'miniflare', start: (bundle, origin) => startMiniflare(bundle, { ORIGIN: origin }) },
  {
    name: 'wrangler createTestHarness',
    async start(bundle, origin) {
      const harness = createTestHarness({
        workers: [{ configPath: bundle.config, prebuiltWorkerDir: bundle.dir, vars: { ORIGIN: origin } }],
      });
      const { url } = await harness.listen();
      return { url: url.href.replace(/\/$/, ''), close: () => harness.close() };
    },
  },
  {
    name: 'wrangler unstable_startWorker (wrangler dev)',
    async start(bundle, origin) {
      const worker = await unstable_startWorker({
        config: bundle.config,
        bindings: { ORIGIN: { type: 'plain_text', value: origin } },
        dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'error' },
      });
      await worker.ready;
      return { url: (await worker.url).href.replace(/\/$/, ''), close: () => worker.dispose() };
    },
  },
];

// ---- contenders ------------------------------------------------------------

interface Ask {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

interface Contender extends Ask {
  readonly name: string;
  readonly worker: WorkerName;
  readonly vars?: Record<string, string>;
  /** A constant Worker: sends the bytes the guard (default settings) answers this request with. */
  readonly mirrors?: Ask;
}

/** Paths the site's routes (src/routes.ts) declare: GET /api/items/:id, no DELETE on /api/items. */
const FORWARDED = { method: 'GET', path: '/api/items/42', status: 200 } as const;
const REFUSED = { method: 'DELETE', path: '/api/items', status: 405 } as const;
const OPTIONS = { method: 'OPTIONS', path: '/api/items', status: 204 } as const;

const PASS_THROUGH = 'pass-through (the limit)';
const CONSTANT_405 = 'constant 405 (the limit)';
const CONSTANT_204 = 'constant 204 (the limit)';

/** Each guard figure right after its limit: neighbours are measured back to back. */
export const CONTENDERS: readonly Contender[] = [
  { name: PASS_THROUGH, worker: 'pass-through', ...FORWARDED },
  { name: 'method-guard, forwarded', worker: 'method-guard', ...FORWARDED },
  { name: CONSTANT_405, worker: 'constant', ...REFUSED, mirrors: REFUSED },
  { name: 'method-guard, 405 at the edge', worker: 'method-guard', ...REFUSED },
  { name: CONSTANT_204, worker: 'constant', ...OPTIONS, mirrors: OPTIONS },
  { name: 'method-guard, OPTIONS at the edge', worker: 'method-guard', ...OPTIONS },
  { name: 'method-guard, 405, LOG_LEVEL=warn', worker: 'method-guard', vars: { LOG_LEVEL: 'warn' }, ...REFUSED },
  { name: 'itty AutoRouter, forwarded', worker: 'itty AutoRouter', ...FORWARDED },
  { name: 'hono, forwarded', worker: 'hono', ...FORWARDED },
];

const GUARD = CONTENDERS.find((c) => c.name === 'method-guard, forwarded') as Contender;

/** The targets of issue 14: guard ÷ limit, in the same round, at default settings. */
const TARGETS = [
  { name: 'forward', guard: 'method-guard, forwarded', limit: PASS_THROUGH, min: 0.95 },
  { name: '405 at the edge', guard: 'method-guard, 405 at the edge', limit: CONSTANT_405, min: 0.9 },
  { name: 'OPTIONS at the edge', guard: 'method-guard, OPTIONS at the edge', limit: CONSTANT_204, min: 0.9 },
] as const;

/** Headers workerd writes itself (framing, connection): the constant Worker must not set them. */
const WIRE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'server']);

/** The guard's answer to `r`, as vars for the constant Worker. */
async function answerOf(url: string, r: Ask): Promise<Record<string, string>> {
  const response = await fetch(`${url}${r.path}`, { method: r.method });
  const body = await response.text();
  if (response.status !== r.status) throw new Error(`guard answered ${r.method} ${r.path} ${response.status}`);
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !WIRE_HEADERS.has(name)));
  return { STATUS: String(response.status), HEADERS: JSON.stringify(headers), BODY: body };
}

export interface E2eResult {
  /** What generated the load: wrk when installed, else autocannon. */
  readonly generator: 'wrk' | 'autocannon';
  /** Per runtime path: the pass-through Worker's median run, and how long the path took to start. */
  readonly runtime: { name: string; startMs: number; load: Load }[];
  readonly chosenRuntime: string;
  readonly origin: Load;
  /** Per contender: one Load per round. */
  readonly rounds: Record<string, Load[]>;
  /** Per contender: the median of its rounds. */
  readonly median: Record<string, Load>;
  readonly verdicts: Verdict[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function medianLoad(loads: readonly Load[]): Load {
  return {
    rps: median(loads.map((l) => l.rps)),
    cpuUs: median(loads.map((l) => l.cpuUs)),
    p50: median(loads.map((l) => l.p50)),
    p99: median(loads.map((l) => l.p99)),
    requests: loads.reduce((n, l) => n + l.requests, 0),
    errors: loads.reduce((n, l) => n + l.errors, 0),
    unexpected: loads.reduce((n, l) => n + l.unexpected, 0),
  };
}

async function check(url: string, c: { name: string; method: string; path: string; status: number }): Promise<void> {
  const response = await fetch(`${url}${c.path}`, { method: c.method });
  const body = await response.text();
  if (response.status !== c.status) {
    throw new Error(`${c.name}: expected ${c.status}, got ${response.status}: ${body.slice(0, 200)}`);
  }
}

/**
 * Every target once a round, in alternating order (A B C, C B A, ...): drift in
 * the machine's load, and going first or last, fall alike on all of them, and
 * neighbours in the list are always measured back to back.
 */
async function interleaved<T extends { name: string }>(
  targets: readonly T[],
  count: number,
  run: (target: T) => Promise<Load>,
): Promise<Record<string, Load[]>> {
  const loads: Record<string, Load[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < count; round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) loads[t.name]?.push(await run(t));
  }
  return loads;
}

export async function e2eBench(
  bundles: Record<WorkerName, Bundle>,
  { rounds, seconds }: { rounds: number; seconds: number },
): Promise<E2eResult> {
  const generator = loadGenerator();
  heading(`2. End to end on loopback (${generator}, ${CONNECTIONS} connections, ${seconds} s a run)`);
  const origin = await startOrigin();
  const started: { close(): Promise<void> }[] = [];
  try {
    const run = (url: string, r: Ask, pid?: number, s = seconds) =>
      load({ url: `${url}${r.path}`, method: r.method, seconds: s, expectedStatus: r.status, pid });
    const warm = async (url: string, c: Parameters<typeof check>[1]) => {
      await check(url, c);
      await run(url, c, undefined, 1);
    };

    // Which way of running workerd costs least: the pass-through Worker under each.
    const paths: { name: string; url: string; startMs: number }[] = [];
    for (const starter of STARTERS) {
      const t0 = performance.now();
      const running = await starter.start(bundles['pass-through'], origin.url);
      started.push(running);
      paths.push({ name: starter.name, url: running.url, startMs: performance.now() - t0 });
      await warm(running.url, { name: starter.name, ...FORWARDED });
    }
    const byPath = await interleaved(paths, 2, (p) => run(p.url, FORWARDED));
    const runtime = paths.map((p) => ({ name: p.name, startMs: p.startMs, load: medianLoad(byPath[p.name] ?? []) }));
    for (const running of started.splice(0)) await running.close();
    const best = runtime.reduce((a, b) => (b.load.rps > a.load.rps ? b : a));
    console.log(
      table(
        ['runtime path (pass-through Worker)', 'start', 'req/s', 'vs workerd', 'p50 ms', 'p99 ms'],
        runtime.map((r) => [
          r.name,
          `${(r.startMs / 1000).toFixed(1)} s`,
          r.load.rps.toFixed(0),
          ratio(r.load.rps, runtime[0]?.load.rps ?? 1),
          String(r.load.p50),
          String(r.load.p99),
        ]),
      ),
    );
    const chosenRuntime = STARTERS[0]?.name as string;
    console.log(
      best.name === chosenRuntime
        ? `${chosenRuntime} adds the least; the contenders below run on it.`
        : `NOTE: ${best.name} measured faster this run; the contenders below still run on ${chosenRuntime}.`,
    );

    // The origin alone, for scale: what the loopback origin serves without a Worker in front.
    await run(origin.url, FORWARDED, undefined, 1);
    const originLoad = await run(origin.url, FORWARDED, origin.pid);

    const instances = new Map<string, Running>();
    const instanceOf = async (c: Contender) => {
      const vars = { ORIGIN: origin.url, ...c.vars };
      // The constant Workers send what the guard at default settings sends.
      if (c.mirrors) Object.assign(vars, await answerOf((await instanceOf(GUARD)).url, c.mirrors));
      const key = `${c.worker} ${JSON.stringify(vars)}`;
      let running = instances.get(key);
      if (!running) {
        running = await startWorkerd(bundles[c.worker], vars);
        started.push(running);
        instances.set(key, running);
      }
      return running;
    };
    const urls = new Map<string, Running>();
    for (const c of CONTENDERS) {
      const running = await instanceOf(c);
      urls.set(c.name, running);
      await warm(running.url, c);
    }
    const loads = await interleaved(CONTENDERS, rounds, (c) => {
      const running = urls.get(c.name) as Running;
      return run(running.url, c, running.pid);
    });

    const med = Object.fromEntries(CONTENDERS.map((c) => [c.name, medianLoad(loads[c.name] ?? [])]));
    const limitOf = (name: string) => TARGETS.find((t) => t.guard === name)?.limit ?? PASS_THROUGH;
    console.log(
      table(
        [
          'contender',
          'req/s',
          'vs its limit',
          'CPU µs/req',
          'vs its limit',
          'p50 ms',
          'p99 ms',
          'requests',
          'errors',
          'wrong status',
        ],
        [
          ['origin alone (no Worker)', originLoad, originLoad] as const,
          ...CONTENDERS.map((c) => [c.name, med[c.name] as Load, med[limitOf(c.name)] as Load] as const),
        ].map(([name, l, base]) => [
          name,
          l.rps.toFixed(0),
          ratio(l.rps, base.rps),
          l.cpuUs.toFixed(0),
          ratio(l.cpuUs, base.cpuUs),
          l.p50.toFixed(2),
          l.p99.toFixed(2),
          String(l.requests),
          String(l.errors),
          String(l.unexpected),
        ]),
      ),
    );
    console.log(
      `(medians of ${rounds} interleaved rounds; "its limit": the constant Worker for an edge answer, the pass-through\n` +
        ' otherwise. CPU µs/req: what the serving process (workerd; node for the origin) spent per request, from /proc;\n' +
        ' the capacity ratio below is its inverse: req/s once that process fills a core.)',
    );

    /** Median per-round ratio of guard to limit: req/s measured, or the capacity their CPU per request implies. */
    const judged = (t: (typeof TARGETS)[number], by: 'req/s' | 'CPU') => {
      const ratios = (loads[t.guard] ?? []).map((l, i) => {
        const other = (loads[t.limit] ?? [])[i] as Load;
        return by === 'req/s' ? l.rps / other.rps : other.cpuUs / l.cpuUs;
      });
      const spread = `rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
      return judge({
        name: `${t.name}, ${by === 'req/s' ? 'req/s' : 'capacity from CPU µs/req'}`,
        ratio: median(ratios),
        bound: 'min',
        limit: t.min,
        over: `${t.guard} / ${t.limit}; ${spread}`,
      });
    };
    const verdicts = (['req/s', 'CPU'] as const).flatMap((by) => TARGETS.map((t) => judged(t, by)));
    for (const v of verdicts) console.log(verdictLine(v));
    if (Object.values(med).some((l) => l.errors > 0 || l.unexpected > 0)) {
      console.log('WARNING: some runs had errors or unexpected statuses (see the table).');
    }
    return { generator, runtime, chosenRuntime, origin: originLoad, rounds: loads, median: med, verdicts };
  } finally {
    for (const running of started) await running.close();
    await origin.close();
  }
}
