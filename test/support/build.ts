/**
 * vitest globalSetup: bundles each Worker config once with wrangler (exactly what
 * `wrangler deploy` would upload) so tests can start it in workerd in ~0.3 s.
 */
import { execFileSync } from 'node:child_process';
import { buildDir, CONFIGS } from './guard-server.ts';

export default function setup() {
  for (const [name, configPath] of Object.entries(CONFIGS)) {
    execFileSync(
      process.execPath,
      ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '-c', configPath, '--outdir', buildDir(name)],
      { stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    );
  }
}
