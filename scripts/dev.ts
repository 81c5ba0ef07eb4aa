/**
 * `npm run dev`: `wrangler dev` for the guard alone, once an ORIGIN is set.
 * With ORIGIN empty the guard forwards to the request's own URL, which under
 * `wrangler dev` is the guard itself: every request would end in 508 Loop
 * Detected. So say what to set instead of starting.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { load, wranglerConfigPath } from '../src/cli/check.ts';

const args = process.argv.slice(2);

/** ORIGIN from `--var ORIGIN:…` (or `--var=ORIGIN:…`) on the command line. */
function fromArgs(): string | undefined {
  for (const [i, arg] of args.entries()) {
    const value = arg.startsWith('--var=') ? arg.slice(6) : arg === '--var' ? args[i + 1] : undefined;
    if (value?.startsWith('ORIGIN:')) return value.slice('ORIGIN:'.length);
  }
  return undefined;
}

/** ORIGIN from the dotenv file wrangler dev reads (.dev.vars, else .env). */
function fromDevVars(): string | undefined {
  const file = ['.dev.vars', '.env'].find((name) => existsSync(name));
  if (file === undefined) return undefined;
  const line = /^\s*ORIGIN\s*=\s*(.*)$/m.exec(readFileSync(file, 'utf8'));
  return line?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** ORIGIN from [vars] of the wrangler config (toml, jsonc or json), read as `method-guard check` reads it. */
async function fromWranglerConfig(): Promise<string | undefined> {
  const path = wranglerConfigPath();
  if (path === undefined) return undefined;
  const vars = (await load(path)).vars as { ORIGIN?: unknown } | undefined;
  return vars?.ORIGIN === undefined ? undefined : String(vars.ORIGIN);
}

const origin = [fromArgs(), fromDevVars(), await fromWranglerConfig()].find((value) => value !== undefined) ?? '';
if (origin.trim() === '') {
  console.error(
    'npm run dev: ORIGIN is empty, so the guard would forward every allowed request to itself (508 Loop Detected). Set it:\n' +
      '  cp .dev.vars.example .dev.vars            (ORIGIN=http://127.0.0.1:9000, then edit)\n' +
      '  npm run dev -- --var ORIGIN:http://127.0.0.1:3000\n' +
      'or run `npm start`, which starts a demo origin and sets ORIGIN for you.',
  );
  process.exit(1);
}

const wrangler = spawn(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'dev', ...args], {
  stdio: 'inherit',
  env: { WRANGLER_SEND_METRICS: 'false', ...process.env },
});
wrangler.on('exit', (code) => process.exit(code ?? 0));
