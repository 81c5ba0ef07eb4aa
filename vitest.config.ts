import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The repository's Worker imports the package by name, as a user would (tsconfig `paths` for tsc/wrangler).
const resolve = { alias: { 'method-guard': new URL('./src/guard/index.ts', import.meta.url).pathname } };

export default defineConfig({
  resolve,
  test: {
    projects: [
      // Pure functions: the decision, canonical paths, config, Allow.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'examples/**/*.test.ts'],
          environment: 'node',
          // Property tests run thousands of cases: seconds on two cores shared with other work.
          testTimeout: 60_000,
        },
      },
      // The Worker inside workerd (wrangler.toml), with a real node origin beside it.
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            // nodejs_compat only for vitest's own runner modules, not the deployed Worker.
            miniflare: { compatibilityFlags: ['nodejs_compat'], bindings: { ORIGIN: inject('originUrl') } },
          })),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          globalSetup: ['test/workerd/origin-setup.ts'],
        },
      },
      // The bundled Worker in workerd (Miniflare) + real node origins: streaming, faults, big bodies.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/build.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      // Headless Chromium (Debian's package) against the guard: CORS as a browser enforces it.
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/build.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
