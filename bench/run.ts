/**
 * `npm run bench`: the parts of issues 5 and 14, each figure next to a baseline
 * measured in the same run, as a ratio, with PASS/MISS against the targets.
 *
 *   npm run bench                     decision cost, end to end, bundle size, scale (~8 min on 2 cores)
 *   npm run bench -- --soak           the same, then the memory soak (1,000,000 requests through the
 *                                     pass-through Worker, then through the guard: ~8 min more)
 *   npm run bench -- --only=soak      one part (decision, e2e, bundle, scale, instructions, openapi, soak; comma-separated)
 *   npm run bench -- --quick          shorter runs, for trying the bench itself
 *
 * Writes bench/results/bench-<time>.json (everything), docs/bench.json (the
 * summary the README quotes: each part as last measured) and docs/bench.svg.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type BundleResult, build, bundleBench, WORKERS, type WorkerName } from './bundle.ts';
import { chart } from './chart.ts';
import { type DecisionResult, decisionBench } from './decision.ts';
import { type E2eResult, e2eBench } from './e2e.ts';
import { hasValgrind, type InstructionsResult, instructionsBench } from './instructions.ts';
import { type OpenApiResult, openapiBench } from './openapi.ts';
import { heading, type Verdict, verdictLine } from './report.ts';
import { type ScaleResult, scaleBench } from './scale.ts';
import { type SoakResult, type SoakRun, soakBench } from './soak.ts';

// wrangler's own chatter (telemetry, the offline `Request.cf` fetch) stays out of the figures.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.WRANGLER_LOG ??= 'error';

const PARTS = ['decision', 'e2e', 'bundle', 'scale', 'instructions', 'openapi', 'soak'] as const;
type Part = (typeof PARTS)[number];

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    soak: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    'soak-requests': { type: 'string', default: '1000000' },
    'soak-max-seconds': { type: 'string', default: '900' },
  },
});

const parts = new Set<Part>(
  args.only
    ? (args.only.split(',') as Part[])
    : ([
        'decision',
        'e2e',
        'bundle',
        'scale',
        ...(hasValgrind() ? ['instructions' as const] : []),
        'openapi',
        ...(args.soak ? ['soak' as const] : []),
      ] satisfies Part[]),
);
for (const part of parts) if (!PARTS.includes(part)) throw new Error(`--only: unknown part "${part}" (${PARTS})`);

/** Where and on what a part was measured: load from other work on the machine moves every figure. */
function environment() {
  const cpu = cpus();
  return {
    measuredAt: new Date().toISOString(),
    node: process.version,
    workerd: JSON.parse(readFileSync('node_modules/@cloudflare/workerd-linux-64/package.json', 'utf8'))
      .version as string,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
  };
}
type Environment = ReturnType<typeof environment>;

export interface Summary {
  decision?: Pick<DecisionResult, 'ns' | 'compileMs' | 'verdicts'> & { environment: Environment };
  e2e?: Omit<E2eResult, 'rounds'> & { environment: Environment };
  bundle?: Pick<BundleResult, 'verdicts'> & {
    bundles: Pick<BundleResult['bundles'][number], 'worker' | 'minified' | 'raw' | 'gzip'>[];
    environment: Environment;
  };
  scale?: ScaleResult & { environment: Environment };
  instructions?: InstructionsResult & { environment: Environment };
  openapi?: OpenApiResult & { environment: Environment };
  soak?: SoakResult & { environment: Environment };
}

const RESULTS = 'bench/results';
const SUMMARY = 'docs/bench.json';

mkdirSync(RESULTS, { recursive: true });
mkdirSync('docs', { recursive: true });
const previous: Summary = existsSync(SUMMARY) ? JSON.parse(readFileSync(SUMMARY, 'utf8')) : {};
const summary: Summary = { ...previous };
const full: Record<string, unknown> = {};
const verdicts: Verdict[] = [];
const started = performance.now();
console.log(`method-guard bench: ${[...parts].join(', ')}; ${JSON.stringify(environment())}`);

if (parts.has('decision')) {
  const result = await decisionBench({ quick: args.quick });
  full.decision = result;
  summary.decision = {
    ns: result.ns,
    compileMs: result.compileMs,
    verdicts: result.verdicts,
    environment: environment(),
  };
  verdicts.push(...result.verdicts);
}

// Part 2 and 4 run the bundles part 3 builds; build them here if part 3 is not asked for.
let bundles: BundleResult['bundles'] = [];
if (parts.has('bundle')) {
  const result = await bundleBench(RESULTS);
  bundles = result.bundles;
  full.bundle = result;
  summary.bundle = {
    bundles: result.bundles.map(({ worker, minified, raw, gzip }) => ({ worker, minified, raw, gzip })),
    verdicts: result.verdicts,
    environment: environment(),
  };
  verdicts.push(...result.verdicts);
} else if (parts.has('e2e') || parts.has('soak') || parts.has('instructions')) {
  for (const worker of Object.keys(WORKERS) as WorkerName[]) bundles.push(await build(worker, false, RESULTS));
}
const deployed = Object.fromEntries(bundles.filter((b) => !b.minified).map((b) => [b.worker, b])) as Parameters<
  typeof e2eBench
>[0];

if (parts.has('e2e')) {
  const result = await e2eBench(deployed, {
    rounds: Number(args.rounds ?? (args.quick ? 1 : 6)),
    seconds: Number(args.seconds ?? (args.quick ? 2 : 3)),
  });
  full.e2e = result;
  const { rounds: _perRound, ...rest } = result;
  summary.e2e = { ...rest, environment: environment() };
  verdicts.push(...result.verdicts);
}

if (parts.has('scale')) {
  const result = await scaleBench({ quick: args.quick, outRoot: RESULTS });
  full.scale = result;
  summary.scale = { ...result, environment: environment() };
  verdicts.push(...result.verdicts);
}

if (parts.has('instructions')) {
  const result = await instructionsBench(deployed, { quick: args.quick });
  full.instructions = result;
  summary.instructions = { ...result, environment: environment() };
  verdicts.push(...result.verdicts);
}

if (parts.has('openapi')) {
  const result = await openapiBench({ quick: args.quick, outRoot: RESULTS });
  full.openapi = result;
  summary.openapi = { ...result, environment: environment() };
}

if (parts.has('soak')) {
  const result = await soakBench(
    { guard: deployed['method-guard'], passThrough: deployed['pass-through'] },
    { requests: Number(args['soak-requests']), maxSeconds: Number(args['soak-max-seconds']) },
  );
  full.soak = result;
  // Every tenth sample is plenty for the chart.
  const thin = (run: SoakRun): SoakRun => ({
    ...run,
    samples: run.samples.filter((_, i) => i % 10 === 0 || i === run.samples.length - 1),
  });
  summary.soak = {
    ...result,
    guard: thin(result.guard),
    passThrough: thin(result.passThrough),
    environment: environment(),
  };
  verdicts.push(...result.verdicts);
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(`${RESULTS}/bench-${stamp}.json`, `${JSON.stringify(full, null, 2)}\n`);
// Quick runs are for trying the bench: they leave the committed summary and chart alone.
if (!args.quick) {
  writeFileSync(SUMMARY, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync('docs/bench.svg', chart(summary));
}

heading('Targets');
for (const v of verdicts) console.log(verdictLine(v));
console.log(
  `\n${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${RESULTS}/bench-${stamp}.json` +
    (args.quick ? ' (--quick: docs/ left as it was)' : `, ${SUMMARY}, docs/bench.svg`),
);
