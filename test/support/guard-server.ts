/**
 * The real Worker bundle (built by test/support/build.ts from a wrangler config)
 * running in workerd through Miniflare, on a real local HTTP listener, in front
 * of a real recording node origin.
 *
 * Miniflare directly rather than wrangler's createTestHarness: the harness sends
 * the Worker's outbound fetches through node, which follows redirects the Worker
 * asked to pass through ('manual'); Miniflare, like `wrangler dev`, does not.
 */
import { dirname, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { type RecordingOrigin, startRecordingOrigin } from '../../scripts/recording-origin.ts';

/** The shipped Worker (src/routes.ts), the test rule sets (test/fixtures/), or the framework rules (test/origins/rules.ts). */
export const CONFIGS = {
  site: './wrangler.toml',
  fixture: './test/fixtures/wrangler.toml',
  dynamic: './test/fixtures/wrangler.dynamic.toml',
  frameworks: './test/fixtures/wrangler.frameworks.toml',
} as const;

/** The bundle wrangler writes for each config (named after its `main`). */
const ENTRY = {
  site: 'index.js',
  fixture: 'worker.js',
  dynamic: 'dynamic-worker.js',
  frameworks: 'frameworks-worker.js',
} as const;

export const buildDir = (name: string) => resolve('.wrangler/test-build', name);

/** Must match wrangler.toml; Miniflare 4 accepts dates up to 2026-08-06. */
const COMPATIBILITY_DATE = '2026-08-01';

export interface GuardServer {
  /** The guard's own URL (a real local HTTP listener), without a trailing slash. */
  readonly url: string;
  readonly origin: RecordingOrigin;
  /** Lines the Worker wrote to stdout/stderr (console.log / console.error). */
  readonly logs: string[];
  close(): Promise<void>;
}

/** `vars` override the defaults (ORIGIN: the recording origin). */
export function startGuard(
  vars: Record<string, string> = {},
  config: keyof typeof CONFIGS = 'site',
): Promise<GuardServer> {
  return startBundle(resolve(buildDir(config), ENTRY[config]), (origin) => ({
    ORIGIN: origin,
    UNMATCHED: 'forward',
    ...vars,
  }));
}

/** Any Worker bundle wrangler wrote, with exactly the `bindings` given (the recording origin's URL passed in). */
export async function startBundle(
  scriptPath: string,
  bindings: (originUrl: string) => Record<string, string>,
): Promise<GuardServer> {
  const origin = await startRecordingOrigin();
  const logs: string[] = [];
  const collect = (stream: NodeJS.ReadableStream) =>
    stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: bindings(origin.url),
    host: '127.0.0.1',
    port: 0,
    handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => {
      collect(stdout);
      collect(stderr);
    },
  });
  const url = await mf.ready;
  return {
    url: url.href.replace(/\/$/, ''),
    origin,
    logs,
    async close() {
      await mf.dispose();
      await origin.close();
    },
  };
}
