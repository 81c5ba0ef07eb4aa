/**
 * `npm run routes [-- <routes module>] [--json]`: the method map of a routes
 * module (default src/routes.ts) as a table, and its lint. Exit 1 on any error
 * finding (CI runs it), 2 when the module cannot be read as an itty router.
 */
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeRouter, formatReport, type RouterLike } from './route-table.ts';

const USAGE = `usage: npm run routes [-- <routes.ts>] [--json]

Prints the Allow table of a routes module (default: src/routes.ts) whose default
export is an itty Router, and lints it. Exits 1 when the lint finds an error.
  --json   the table and findings as JSON, for machines`;

function isRouter(value: unknown): value is RouterLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as { routes?: unknown }).routes);
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const files = args.filter((a) => !a.startsWith('-'));
  if (unknown.length > 0 || files.length > 1) {
    console.error(`${unknown.length ? `unknown option ${unknown[0]}` : 'give one routes module'}\n\n${USAGE}`);
    return 2;
  }
  const file = resolve(files[0] ?? 'src/routes.ts');
  const source = relative(process.cwd(), file);
  let router: unknown;
  try {
    router = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    console.error(`${source}: cannot load: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (!isRouter(router)) {
    console.error(`${source}: the default export is not an itty router (no \`routes\` array): export default Router()`);
    return 2;
  }
  const report = analyzeRouter(router);
  if (json) console.log(JSON.stringify({ source, ...report }, null, 2));
  else process.stdout.write(formatReport(report, source));
  return report.errors > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
