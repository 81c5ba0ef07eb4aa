/**
 * `method-guard openapi import | check | export`: the rules from an OpenAPI
 * document, the drift between the two (CI), and the rules as a document.
 * Exit codes: 0 fine, 1 findings (lint errors, drift), 2 usage or unreadable input.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { EXIT } from '../exit-codes.ts';
import { analyzeRouter, type RouterLike } from '../route-table.ts';
import { loadRouter } from '../routes-module.ts';
import { findDrift, formatDrift } from './check.ts';
import { exportOpenApi } from './export.ts';
import { type ImportResult, importOpenApi, renderRoutesModule, routerOf } from './import.ts';
import { loadDocument, OpenApiError } from './load.ts';

const USAGE = `usage: method-guard openapi <command> [options]

  import <spec.json|spec.yaml> [--out src/routes.ts] [--base /prefix]
      Writes the rules module: one route per (path, operation), under each
      operation's server base path (or --base), and lints it. --out - prints it.
  check <spec.json|spec.yaml> [routes.ts] [--base /prefix]
      Lists every (path, method) the document has and the rules refuse, and every
      method the rules allow where the document has none. Exits 1 on any.
  export [routes.ts] [--out openapi.json|openapi.yaml] [--title T] [--version V]
      A minimal OpenAPI document (paths and operations) of what the rules allow.

Exit codes: 0 fine, 1 lint errors or drift, 2 usage or unreadable input.
See docs/openapi.md for how paths and methods are mapped.`;

class UsageError extends Error {}

const OPTIONS = {
  out: { type: 'string' },
  base: { type: 'string' },
  title: { type: 'string' },
  version: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

const display = (file: string) => relative(process.cwd(), resolve(file)) || file;

async function readSpec(file: string, base: string | undefined): Promise<ImportResult> {
  return importOpenApi(await loadDocument(file), base === undefined ? {} : { base });
}

/** Wrapped: an itty router answers every property, `then` included, so awaiting one never settles. */
async function readRules(file: string): Promise<{ router: RouterLike }> {
  const loaded = await loadRouter(file, display(file));
  if (!loaded.ok) throw new OpenApiError(loaded.error);
  return { router: loaded.router };
}

function only(positionals: readonly string[], min: number, max: number, what: string): void {
  if (positionals.length < min || positionals.length > max) throw new UsageError(`expected ${what}`);
}

async function importCommand(positionals: readonly string[], values: Values): Promise<number> {
  only(positionals, 1, 1, 'one OpenAPI document: import <spec.json|spec.yaml>');
  const [spec] = positionals as [string];
  const result = await readSpec(spec, values.base);
  const text = renderRoutesModule(result);
  const out = values.out ?? 'src/routes.ts';
  for (const note of result.notes) console.error(`note: ${note}`);
  if (out === '-') process.stdout.write(text);
  else {
    await mkdir(dirname(resolve(out)), { recursive: true });
    await writeFile(out, text);
  }
  const report = analyzeRouter(routerOf(result.routes));
  for (const finding of report.findings.filter((f) => f.severity === 'error')) {
    console.error(`error[${finding.rule}] ${finding.message}`);
  }
  const where = out === '-' ? 'stdout' : display(out);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.error(
    `${where}: ${plural(result.routes.length, 'route')} from ${display(spec)} (${result.info.format}), ` +
      `${plural(report.errors, 'lint error')}, ${plural(report.warnings, 'warning')}` +
      (out === '-' || report.warnings === 0 ? '' : ` (method-guard routes ${where} lists them)`),
  );
  return report.errors > 0 ? EXIT.findings : EXIT.ok;
}

async function checkCommand(positionals: readonly string[], values: Values): Promise<number> {
  only(positionals, 1, 2, 'check <spec.json|spec.yaml> [routes.ts]');
  const [spec, routes = 'src/routes.ts'] = positionals as [string, string?];
  const result = await readSpec(spec, values.base);
  const drift = findDrift(result, (await readRules(routes)).router);
  process.stdout.write(formatDrift(drift, display(spec), display(routes)));
  return drift.length > 0 ? EXIT.findings : EXIT.ok;
}

async function exportCommand(positionals: readonly string[], values: Values): Promise<number> {
  only(positionals, 0, 1, 'export [routes.ts]');
  const [routes = 'src/routes.ts'] = positionals;
  const document = exportOpenApi((await readRules(routes)).router, {
    title: values.title ?? `Methods allowed by ${display(routes)}`,
    version: values.version ?? '0.0.0',
  });
  const yaml = values.out !== undefined && /\.ya?ml$/i.test(values.out);
  const text = yaml ? stringify(document) : `${JSON.stringify(document, null, 2)}\n`;
  if (values.out === undefined || values.out === '-') process.stdout.write(text);
  else await writeFile(values.out, text);
  return EXIT.ok;
}

const COMMANDS = { import: importCommand, check: checkCommand, export: exportCommand } as const;

/** `args`: what follows the word `openapi`. */
export async function run(args: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
    const [name, ...rest] = positionals;
    if (values.help || name === undefined) {
      (values.help ? console.log : console.error)(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const command = COMMANDS[name as keyof typeof COMMANDS];
    if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command "${name}"`);
    return await command(rest, values);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof OpenApiError) {
      console.error(error.message);
      return EXIT.usage;
    }
    throw error;
  }
}
