/**
 * Part 3: what each Worker uploads. `wrangler deploy --dry-run --outdir` builds
 * exactly what `wrangler deploy` would send; part 2 runs these same files.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { heading, judge, kib, ratio, table, type Verdict, verdictLine } from './report.ts';

/** Each Worker measured, by its wrangler config. */
export const WORKERS = {
  'method-guard': 'wrangler.toml',
  'pass-through': 'bench/wrangler.passthrough.toml',
  'itty AutoRouter': 'bench/wrangler.itty-auto.toml',
  hono: 'bench/wrangler.hono.toml',
} as const;
export type WorkerName = keyof typeof WORKERS;

export interface Bundle {
  readonly worker: WorkerName;
  readonly config: string;
  readonly minified: boolean;
  readonly dir: string;
  /** The entry module wrangler wrote. */
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

export interface BundleResult {
  readonly bundles: Bundle[];
  /** Raw bytes per source file in the unminified method-guard bundle. */
  readonly guardModules: Record<string, number>;
  readonly verdicts: Verdict[];
}

const run = promisify(execFile);
const WRANGLER = 'node_modules/wrangler/bin/wrangler.js';

export async function build(worker: WorkerName, minified: boolean, outRoot: string): Promise<Bundle> {
  const config = WORKERS[worker];
  // Absolute: wrangler reads a relative --outdir from the config file's folder.
  const dir = resolve(outRoot, 'bundles', `${worker.replace(/\W+/g, '-')}${minified ? '.min' : ''}`);
  const args = [
    WRANGLER,
    'deploy',
    '--dry-run',
    '--outdir',
    dir,
    '--config',
    config,
    ...(minified ? ['--minify'] : []),
  ];
  await run(process.execPath, args, { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 120_000 });
  const entry = readdirSync(dir).find((f) => f.endsWith('.js'));
  if (!entry) throw new Error(`wrangler wrote no .js into ${dir}`);
  const bytes = readFileSync(join(dir, entry));
  return { worker, config, minified, dir, file: entry, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** esbuild heads each inlined module with a `// path` comment in unminified output. */
function moduleSizes(source: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  let current = '(runtime glue)';
  for (const line of source.split('\n')) {
    const marker = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
    if (marker) current = marker[1] as string;
    sizes[current] = (sizes[current] ?? 0) + line.length + 1;
  }
  return sizes;
}

export async function bundleBench(outRoot: string): Promise<BundleResult> {
  heading('3. Bundle size (wrangler deploy --dry-run --outdir; gzip -9)');
  const bundles: Bundle[] = [];
  for (const worker of Object.keys(WORKERS) as WorkerName[]) {
    for (const minified of [false, true]) bundles.push(await build(worker, minified, outRoot));
  }
  const find = (worker: WorkerName, minified: boolean) =>
    bundles.find((b) => b.worker === worker && b.minified === minified) as Bundle;
  console.log(
    table(
      ['worker', 'raw, as its wrangler.toml builds it', 'gzip', 'gzip, --minify', 'minified / pass-through'],
      (Object.keys(WORKERS) as WorkerName[]).map((worker) => [
        worker,
        kib(find(worker, false).raw),
        kib(find(worker, false).gzip),
        kib(find(worker, true).gzip),
        ratio(find(worker, true).gzip, find('pass-through', true).gzip),
      ]),
    ),
  );
  const guard = find('method-guard', false);
  const guardModules = moduleSizes(readFileSync(join(guard.dir, guard.file), 'utf8'));
  const modules = Object.entries(guardModules).sort((a, b) => b[1] - a[1]);
  // wrangler.toml sets minify = true, which drops esbuild's per-module comments.
  if (modules.length > 1)
    console.log(`method-guard, raw bytes by module: ${modules.map(([m, n]) => `${m} ${n}`).join(', ')}`);

  const LIMIT = 6 * 1024;
  const verdicts = [
    judge({
      name: 'guard + itty bundle, minified, gzip',
      ratio: find('method-guard', true).gzip / LIMIT,
      bound: 'max',
      limit: 1,
      over: `${kib(find('method-guard', true).gzip)} / 6 KiB`,
    }),
  ];
  for (const v of verdicts) console.log(verdictLine(v));
  return { bundles, guardModules, verdicts };
}
