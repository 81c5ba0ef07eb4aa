/**
 * `npm run build` (and `prepare`, so `npm install` and `npm pack`): the package's
 * JavaScript and .d.ts in dist/ from tsconfig.build.json, starting from an empty
 * dist/ so no file of a removed module ships.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// The bin runs as a program (`npx method-guard` inside this repository, where npm does not
// chmod it as it does for an installed package): tsc writes it without the execute bit.
chmodSync('dist/cli/main.js', 0o755);
