#!/usr/bin/env node
/**
 * The `method-guard` command (package.json `bin`). Node-only, never bundled into
 * a Worker. Each subcommand lives in its own file and is loaded only when named,
 * so `method-guard check` does not pay for loading the route lint.
 */
import { type Command, EXIT } from './exit-codes.ts';

const COMMANDS: Readonly<Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>> = {
  routes: { summary: 'the Allow table of a routes module, and its lint', load: () => import('./routes.ts') },
  check: {
    summary: 'the Worker variables in wrangler.toml, checked as the Worker reads them',
    load: () => import('./check.ts'),
  },
  openapi: {
    summary: 'rules from an OpenAPI document (import), drift against it (check), rules as one (export)',
    load: () => import('./openapi/command.ts'),
  },
};

const USAGE = `usage: method-guard <command> [options]

${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`)
  .join('\n')}

method-guard <command> --help   the options of one command
Exit codes: 0 ok, 1 findings (lint errors, invalid settings), 2 usage or cannot load.
Needs Node >= 22.18 (it loads TypeScript routes modules by stripping their types).`;

async function main([name, ...args]: readonly string[]): Promise<number> {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    console.error(`method-guard: unknown command ${name}\n\n${USAGE}`);
    return EXIT.usage;
  }
  return (await command.load()).run(args);
}

process.exitCode = await main(process.argv.slice(2));
