/**
 * `method-guard check [--config wrangler.toml] [--env NAME]`: every `[vars]` and
 * `[env.NAME.vars]` table checked by the same parseConfig the Worker runs, so a
 * typo fails here (and before `npm run deploy`) instead of as 500s in production.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { ConfigError, closestName, parseConfig, SETTINGS, type Setting } from '../guard/config.ts';
import { EXIT } from './exit-codes.ts';

export const USAGE = `usage: method-guard check [--config <wrangler.toml|wrangler.jsonc|wrangler.json>] [--env <name>]

Checks the Worker variables in [vars] and in every [env.<name>.vars] (only that
environment with --env) exactly as the Worker will read them, and reports names
that look like a misspelled setting. Default config: ./wrangler.toml (else
./wrangler.jsonc, ./wrangler.json, as wrangler looks for them).
Exit codes: 0 all valid, 1 an invalid value or a misspelled name, 2 usage or cannot load.`;

export interface CheckFinding {
  readonly severity: 'error' | 'note';
  /** The variable the finding is about. */
  readonly variable: string;
  readonly message: string;
}

const NAMES: readonly string[] = SETTINGS.map((row) => row.variable);

/** Every problem in one `vars` table: each invalid setting, and each name that looks like a misspelled setting (closestName). */
export function checkVars(vars: Readonly<Record<string, unknown>>): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const name of Object.keys(vars)) {
    if (NAMES.includes(name)) continue;
    const near = closestName(name, NAMES);
    findings.push(
      near
        ? { severity: 'error', variable: name, message: `${name} is not a method-guard setting: did you mean ${near}?` }
        : { severity: 'note', variable: name, message: `${name} is not a method-guard setting (left to the app)` },
    );
  }
  // parseConfig stops at the first bad setting: set it aside and ask again, to report them all.
  const remaining: Record<string, unknown> = { ...vars };
  for (let round = 0; round <= NAMES.length; round++) {
    try {
      parseConfig(remaining);
      break;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      findings.push({
        severity: 'error',
        variable: error.setting,
        message: error.message.replace(/^method-guard: /, ''),
      });
      delete remaining[error.setting satisfies Setting];
    }
  }
  return findings;
}

interface Scope {
  readonly label: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

type Config = { vars?: unknown; env?: Record<string, { vars?: unknown } | undefined> };

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The vars tables to check. wrangler does not inherit `vars` into an environment: an env without them has none. */
function scopes(config: Config, envName: string | undefined): Scope[] | string {
  const envs = isTable(config.env) ? config.env : {};
  const envVars = (name: string) => {
    const vars = envs[name]?.vars;
    return { label: `[env.${name}.vars]`, vars: isTable(vars) ? vars : {} };
  };
  if (envName !== undefined) {
    if (!Object.hasOwn(envs, envName)) {
      const known = Object.keys(envs);
      return `no [env.${envName}] in the config${known.length ? ` (environments: ${known.join(', ')})` : ''}`;
    }
    return [envVars(envName)];
  }
  return [{ label: '[vars]', vars: isTable(config.vars) ? config.vars : {} }, ...Object.keys(envs).map(envVars)];
}

function option(args: readonly string[], name: string): string | undefined | Error {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  return value === undefined || value.startsWith('-') ? new Error(`${name} needs a value`) : value;
}

/** JSON with comments and trailing commas (wrangler.jsonc) as JSON: comments and those commas go, strings stay. */
export function jsonc(text: string): string {
  return text.replace(
    /("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\/|,(?=\s*(?:\/\/[^\n]*\s*|\/\*[\s\S]*?\*\/\s*)*[}\]])/g,
    (whole, string?: string) => string ?? (whole.startsWith(',') ? '' : ' '),
  );
}

/** A wrangler config file (TOML, JSONC or JSON) as data. */
export async function load(file: string): Promise<Config> {
  const text = await readFile(file, 'utf8');
  const extension = extname(file);
  const parsed: unknown = extension === '.json' || extension === '.jsonc' ? JSON.parse(jsonc(text)) : parseToml(text);
  if (!isTable(parsed)) throw new Error('not a table of settings');
  return parsed as Config;
}

/** The wrangler config of the current folder, found as wrangler finds it. */
export function wranglerConfigPath(): string | undefined {
  return ['wrangler.toml', 'wrangler.jsonc', 'wrangler.json'].find((name) => existsSync(name));
}

export async function run(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const file = option(args, '--config');
  const envName = option(args, '--env');
  const known = new Set(['--config', '--env', file, envName]);
  const stray = args.find((a) => !known.has(a));
  if (file instanceof Error || envName instanceof Error || stray !== undefined) {
    const problem =
      file instanceof Error ? file.message : envName instanceof Error ? envName.message : `unexpected ${stray}`;
    console.error(`${problem}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const path = file ?? wranglerConfigPath() ?? 'wrangler.toml';
  let config: Config;
  try {
    config = await load(path);
  } catch (error) {
    console.error(`${path}: cannot load: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  const checked = scopes(config, envName);
  if (typeof checked === 'string') {
    console.error(`${path}: ${checked}`);
    return EXIT.usage;
  }
  let errors = 0;
  for (const { label, vars } of checked) {
    const findings = checkVars(vars);
    errors += findings.filter((f) => f.severity === 'error').length;
    for (const f of findings) console.log(`${path} ${label}: ${f.severity}: ${f.message}`);
    if (!findings.some((f) => f.severity === 'error')) {
      const set = Object.keys(vars).filter((name) => NAMES.includes(name)).length;
      console.log(`${path} ${label}: ok (${set} of ${NAMES.length} settings set, the rest at their defaults)`);
    }
  }
  if (errors > 0)
    console.log(`${errors} error${errors === 1 ? '' : 's'}: the Worker would answer 500 to every request.`);
  return errors > 0 ? EXIT.findings : EXIT.ok;
}
