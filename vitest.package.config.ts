import { defineConfig } from 'vitest/config';

// `npm run test:package` (CI runs it): npm pack → a scratch Worker project that installs
// the tarball. Apart from `npm test`: it installs packages and takes about a minute.
export default defineConfig({
  test: {
    name: 'package',
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
