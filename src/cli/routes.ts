/**
 * `method-guard routes [file] [--json]`: the method map of a routes module
 * (default src/routes.ts) as a table, and its lint. Exit 1 on any error finding
 * (CI runs it), 2 when the module cannot be read as an itty router.
 */
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT } from './exit-codes.ts';
import { analyzeRouter, formatReport, type RouterLike } from './route-table.ts';

export const USAGE = `usage: method-guard routes [<routes module>] [--json]

Prints the Allow table of a routes module (default: src/routes.ts) whose default
export is an itty Router, and lints it. The module is loaded by Node (>= 22.18
strips TypeScript types), so its relative imports carry their extension.
  --json   the table and findings as JSON, for machines
Exit codes: 0 no errors (warnings allowed), 1 lint errors, 2 usage or cannot load.`;

/** Why `value` is not an itty router, or undefined when it is one. */
export function notARouter(value: unknown): string | undefined {
  if (typeof value !== 'object' && typeof value !== 'function') return 'there is no default export';
  if (value === null) return 'the default export is null';
  const name = (value as object).constructor?.name;
  if (name === 'Hono') {
    return "the default export is a Hono app; method-guard reads itty-router's route table: export default Router() from 'itty-router'";
  }
  const routes = (value as { routes?: unknown }).routes;
  // itty's route entry: [METHOD, RegExp, handlers, path].
  const ittyEntry = (entry: unknown) =>
    Array.isArray(entry) && typeof entry[0] === 'string' && entry[1] instanceof RegExp && Array.isArray(entry[2]);
  if (Array.isArray(routes) && routes.every(ittyEntry)) return undefined;
  if (typeof (value as { fetch?: unknown }).fetch === 'function' && routes === undefined) {
    return 'the default export is a Worker ({ fetch }), not its router: give the module that exports the router (export default Router())';
  }
  return `the default export${name && name !== 'Object' ? ` (a ${name})` : ''} is not an itty router: export default Router() from 'itty-router'`;
}

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
  let router: unknown;
  try {
    router = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    console.error(`${source}: cannot load: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  const problem = notARouter(router);
  if (problem !== undefined) {
    console.error(`${source}: ${problem}`);
    return EXIT.usage;
  }
  const report = analyzeRouter(router as RouterLike);
  if (json) console.log(JSON.stringify({ source, ...report }, null, 2));
  else process.stdout.write(formatReport(report, source));
  return report.errors > 0 ? EXIT.findings : EXIT.ok;
}
