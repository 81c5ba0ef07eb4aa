/**
 * The real Worker (wrangler.toml, src/) running in workerd through wrangler's
 * test harness, in front of a real recording node origin.
 */
import { createTestHarness } from 'wrangler';
import { type RecordingOrigin, startRecordingOrigin } from '../../scripts/recording-origin.ts';

export interface GuardServer {
  /** The guard's own URL (a real local HTTP listener). */
  readonly url: string;
  readonly origin: RecordingOrigin;
  /** Requests through the harness dispatcher. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** `vars` override wrangler.toml's [vars]; ORIGIN defaults to the recording origin. */
export async function startGuard(vars: Record<string, string> = {}): Promise<GuardServer> {
  const origin = await startRecordingOrigin();
  const harness = createTestHarness({
    workers: [{ configPath: './wrangler.toml', vars: { ORIGIN: origin.url, ...vars } }],
  });
  const { url } = await harness.listen();
  return {
    url: url.href.replace(/\/$/, ''),
    origin,
    fetch: (path, init) => harness.fetch(path, init as never) as unknown as Promise<Response>,
    async close() {
      await harness.close();
      await origin.close();
    },
  };
}
