/**
 * The real Worker bundle (built by test/support/build.ts from a wrangler config)
 * running in workerd through Miniflare, on a real local HTTP listener, in front
 * of a real recording node origin.
 *
 * Miniflare directly rather than wrangler's createTestHarness: the harness sends
 * the Worker's outbound fetches through node, which follows redirects the Worker
 * asked to pass through ('manual'); Miniflare, like `wrangler dev`, does not.
 */
import { type AddressInfo, createServer } from 'node:net';
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

/**
 * A test dataset bound where Analytics Engine's would be, through workerd's own
 * wrapped-binding mechanism (the one Miniflare's local Analytics Engine uses, which
 * discards points): it checks each point against Analytics Engine's limits
 * (https://developers.cloudflare.com/analytics/analytics-engine/limits/) and
 * writes it to stdout as `METRICS <json>`, where `logs` collects it.
 */
const RECORDING_DATASET = {
  name: 'recording-dataset',
  modules: true,
  script: `export default function () {
  return {
    writeDataPoint(point = {}) {
      const { blobs = [], doubles = [], indexes = [] } = point;
      if (blobs.length > 20 || doubles.length > 20 || indexes.length > 1) throw new Error('too many fields');
      if (!doubles.every((d) => typeof d === 'number')) throw new TypeError('doubles must be numbers');
      console.log('METRICS ' + JSON.stringify(point));
    },
  };
}`,
};

export interface GuardExtras {
  /** Bind METRICS to the recording dataset (read it back with `dataPoints(guard)`). */
  readonly metrics?: boolean;
  /** Listen on this port (default 0: any free port), for a guard whose ORIGIN must name it. */
  readonly port?: number;
}

/** The data points the recording dataset received, in order. */
export function dataPoints(guard: GuardServer): { blobs?: string[]; doubles?: number[]; indexes?: string[] }[] {
  return guard.logs.filter((line) => line.startsWith('METRICS ')).map((line) => JSON.parse(line.slice(8)));
}

/** `vars` override the defaults (ORIGIN: the recording origin). */
export function startGuard(
  vars: Record<string, string> = {},
  config: keyof typeof CONFIGS = 'site',
  extras: GuardExtras = {},
): Promise<GuardServer> {
  return startBundle(
    resolve(buildDir(config), ENTRY[config]),
    (origin) => ({ ORIGIN: origin, UNMATCHED: 'forward', ...vars }),
    extras,
  );
}

/** A local port nothing listens on right now, for a guard whose ORIGIN must name it before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** The Via entry `guard` adds to what it forwards (its id is the host it was addressed as). */
export const viaOf = (guard: GuardServer | string) =>
  `1.1 ${new URL(typeof guard === 'string' ? guard : guard.url).host} (method-guard)`;

/** Any Worker bundle wrangler wrote, with exactly the `bindings` given (the recording origin's URL passed in). */
export async function startBundle(
  scriptPath: string,
  bindings: (originUrl: string) => Record<string, string>,
  { metrics = false, port = 0 }: GuardExtras = {},
): Promise<GuardServer> {
  const origin = await startRecordingOrigin();
  const logs: string[] = [];
  const collect = (stream: NodeJS.ReadableStream) =>
    stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const worker = {
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: bindings(origin.url),
    ...(metrics ? { wrappedBindings: { METRICS: { scriptName: RECORDING_DATASET.name } } } : {}),
  };
  const mf = new Miniflare({
    workers: metrics ? [worker, RECORDING_DATASET] : [worker],
    host: '127.0.0.1',
    port,
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
