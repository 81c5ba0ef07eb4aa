/**
 * Part 3: what each Worker uploads. `wrangler deploy --dry-run --outdir` builds
 * exactly what `wrangler deploy` would send; part 2 runs these same files.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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
  constant: 'bench/wrangler.constant.toml',
} as const;
export type WorkerName = keyof typeof WORKERS;

export interface Bundle {
  /** A key of WORKERS, or a bench-generated Worker (bench/scale.ts). */
  readonly worker: string;
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

export function build(worker: WorkerName, minified: boolean, outRoot: string): Promise<Bundle> {
  return buildConfig(worker, WORKERS[worker], minified, outRoot);
}

/** `wrangler deploy --dry-run` for one wrangler config; `worker` names the output folder. */
export async function buildConfig(
  worker: string,
  config: string,
  minified: boolean,
  outRoot: string,
  /** More `wrangler deploy` flags, e.g. `--no-minify` for readable profiles (bench/profile.ts). */
  flags: readonly string[] = [],
): Promise<Bundle> {
  // Absolute: wrangler reads a relative --outdir from the config file's folder.
  const dir = resolve(outRoot, 'bundles', `${worker.replace(/\W+/g, '-')}${minified ? '.min' : ''}`);
  // Empty first: the entry is found as the folder's one .js file, and another build's would do.
  rmSync(dir, { recursive: true, force: true });
  const args = [
    WRANGLER,
    'deploy',
    '--dry-run',
    '--outdir',
    dir,
    '--config',
    config,
    // esbuild's metafile: which source file put how many bytes into the output.
    '--metafile',
    join(dir, 'meta.json'),
    ...(minified ? ['--minify'] : []),
    ...flags,
  ];
  await run(process.execPath, args, { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 120_000 });
  const entry = readdirSync(dir).find((f) => f.endsWith('.js'));
  if (!entry) throw new Error(`wrangler wrote no .js into ${dir}`);
  const bytes = readFileSync(join(dir, entry));
  return { worker, config, minified, dir, file: entry, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

interface Metafile {
  readonly outputs: Record<
    string,
    { readonly bytes: number; readonly inputs: Record<string, { bytesInOutput: number }> }
  >;
}

/** Bytes each source file puts into the bundle, from esbuild's metafile (what minify left of it). */
function moduleSizes(bundle: Bundle): Record<string, number> {
  const meta = JSON.parse(readFileSync(join(bundle.dir, 'meta.json'), 'utf8')) as Metafile;
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(bundle.file))?.[1];
  if (!output) throw new Error(`${bundle.dir}/meta.json describes no ${bundle.file}`);
  const sizes: Record<string, number> = {};
  let inModules = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    // wrangler's own entry shims live in temp folders; name them by what they are.
    const path = input.includes('node_modules/') ? input.slice(input.lastIndexOf('node_modules/')) : input;
    const name = /^(src|bench|node_modules)\//.test(path) ? path : '(wrangler glue)';
    sizes[name] = (sizes[name] ?? 0) + bytesInOutput;
    inModules += bytesInOutput;
  }
  sizes['(esbuild glue, between modules)'] = output.bytes - inModules;
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
  const guardModules = moduleSizes(guard);
  const total = Object.values(guardModules).reduce((a, b) => a + b, 0);
  console.log(
    table(
      ['method-guard, by module (esbuild metafile)', 'bytes in the bundle', 'share', '≈ gzip share'],
      Object.entries(guardModules)
        .sort((a, b) => b[1] - a[1])
        .map(([module, bytes]) => [
          module,
          String(bytes),
          `${((100 * bytes) / total).toFixed(1)}%`,
          kib((guard.gzip * bytes) / total),
        ]),
    ),
  );
  console.log('(≈ gzip share: the gzip size split by raw bytes; repetitive code compresses better than that.)');

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
