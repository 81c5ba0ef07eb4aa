/**
 * `method-guard routes [file] [--json]`: the method map of a routes module
 * (default src/routes.ts) as a table, and its lint. Exit 1 on any error finding
 * (CI runs it), 2 when the module cannot be read as an itty router.
 */
import { relative, resolve } from 'node:path';
import { type Config, parseConfig } from '../guard/config.ts';
import { load, wranglerConfigPath } from './check.ts';
import { EXIT } from './exit-codes.ts';
import { analyzeRouter, formatReport } from './route-table.ts';
import { loadRouter } from './routes-module.ts';

export const USAGE = `usage: method-guard routes [<routes module>] [--json]

Prints the Allow table of a routes module (default: src/routes.ts) whose default
export is an itty Router, and lints it. The module is loaded by Node (>= 22.18
strips TypeScript types), so its relative imports carry their extension.
  --json   the table and findings as JSON, for machines
Exit codes: 0 no errors (warnings allowed), 1 lint errors, 2 usage or cannot load.`;

export async function run(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const files = args.filter((a) => !a.startsWith('-'));
  if (unknown.length > 0 || files.length > 1) {
    console.error(`${unknown.length ? `unknown option ${unknown[0]}` : 'give one routes module'}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const file = resolve(files[0] ?? 'src/routes.ts');
  const source = relative(process.cwd(), file);
  const loaded = await loadRouter(file, source);
  if (!loaded.ok) {
    console.error(loaded.error);
    return EXIT.usage;
  }
  const site = await siteSettings();
  // Read as the folder's ORIGIN_PROFILE reads paths (the default, any, without a wrangler config).
  const report = analyzeRouter(loaded.router, site?.config);
  const unmatched = site && {
    source: site.source,
    unmatched: site.config.unmatched,
    unmatched404: site.config.unmatched404,
  };
  if (json) console.log(JSON.stringify({ source, ...report, unmatched }, null, 2));
  else process.stdout.write(formatReport(report, source, unmatched));
  return report.errors > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * The settings of the folder's wrangler config (its top-level [vars]: paths no
 * route matches, ORIGIN_PROFILE), or undefined without one, or when its
 * settings are invalid (`method-guard check` says why).
 */
async function siteSettings(): Promise<{ source: string; config: Config } | undefined> {
  const path = wranglerConfigPath();
  if (path === undefined) return undefined;
  try {
    const { vars } = await load(path);
    return { source: path, config: parseConfig((vars ?? {}) as Record<string, unknown>) };
  } catch {
    return undefined;
  }
}
