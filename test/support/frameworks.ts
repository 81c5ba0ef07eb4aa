/**
 * Real origin frameworks (test/origins/), each started as its own process on a free loopback port
 * with the shared rules (test/origins/rules.ts), and what their handlers ran read back from the
 * JSON-lines log each app appends to.
 *
 * A framework that is not installed skips locally with a message naming the package to install;
 * under CI (`CI=true`, where .ci/run installs them all) it is an error.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { rules } from '../origins/rules.ts';

export interface Framework {
  readonly name: string;
  /** The ORIGIN_PROFILE that models it. */
  readonly profile: string;
  /** What to install when it is missing. */
  readonly packages: string;
  /** Commands that each exit 0 when the framework is installed. */
  readonly checks: readonly (readonly [string, ...string[]])[];
  readonly command: (port: number) => readonly [string, ...string[]];
  readonly env?: Readonly<Record<string, string>>;
}

/** Debian's python, not pyenv's `python3` on PATH (HELPERS-COMMON: Debian packages live there). */
const PYTHON = '/usr/bin/python3';

export const FRAMEWORKS: readonly Framework[] = [
  {
    name: 'Express 5',
    profile: 'express',
    packages: 'npm express, method-override (npm ci)',
    checks: [[process.execPath, '-e', 'require.resolve("express"); require.resolve("method-override")']],
    command: () => [process.execPath, 'test/origins/express/app.ts'],
  },
  {
    name: 'Rails routing on Puma',
    profile: 'rails',
    packages: 'Debian ruby-actionpack, ruby-rack, puma',
    checks: [
      ['ruby', '-e', 'require "action_dispatch"; require "rack"'],
      ['puma', '--version'],
    ],
    command: (port) => ['puma', '-q', '-t', '4:4', '-b', `tcp://127.0.0.1:${port}`, 'test/origins/rails/config.ru'],
  },
  {
    name: 'Symfony Routing + HttpFoundation on php -S',
    profile: 'laravel',
    packages: 'Debian php-cli, php-symfony-http-foundation, php-symfony-routing',
    checks: [
      [
        'php',
        '-r',
        'require "/usr/share/php/Symfony/Component/HttpFoundation/autoload.php"; require "/usr/share/php/Symfony/Component/Routing/autoload.php";',
      ],
    ],
    command: (port) => ['php', '-S', `127.0.0.1:${port}`, 'test/origins/symfony/router.php'],
    // php -S serves one request at a time unless told to fork workers.
    env: { PHP_CLI_SERVER_WORKERS: '4' },
  },
  {
    name: 'Flask',
    profile: 'flask',
    packages: 'Debian python3-flask',
    checks: [[PYTHON, '-c', 'import flask']],
    command: () => [PYTHON, 'test/origins/flask/app.py'],
  },
];

/** One handler run, as the origin app recorded it. */
export interface Ran {
  /** The request's `x-probe` header. */
  readonly probe: string;
  /** The rule's name (rules.ts) whose handler ran. */
  readonly route: string;
  /** The method the framework dispatched on, after its own overrides. */
  readonly method: string;
  /** The path as the framework read it. */
  readonly path: string;
}

export interface RunningOrigin {
  readonly url: string;
  /** Every handler run so far. */
  ran(): Ran[];
  close(): Promise<void>;
}

/** null when installed, else what to install. */
export function missing(framework: Framework): string | null {
  for (const [command, ...args] of framework.checks) {
    const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    if (result.error || result.status !== 0) return `install ${framework.packages}`;
  }
  return null;
}

/** `describe` when the framework is installed; else a skip locally, an error under CI. */
export function describeFramework(framework: Framework, body: () => void): void {
  const absent = missing(framework);
  if (absent === null) return void describe(framework.name, body);
  if (process.env.CI === 'true') throw new Error(`${framework.name} is not installed (CI=true): ${absent}`);
  describe.skip(`${framework.name}: not installed, ${absent}`, body);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the server answers anything; rejects with its output if it exits first. */
async function answering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
    }
    try {
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`not answering at ${url} after 30 s:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The whole process group: php -S workers outlive their parent otherwise.
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {}
  };
  signal('SIGTERM');
  const kill = setTimeout(() => signal('SIGKILL'), 3000);
  return exited.finally(() => clearTimeout(kill));
}

/** Starts the framework's app with the shared rules; retries on another port if it fails to start. */
export async function startOrigin(framework: Framework): Promise<RunningOrigin> {
  const dir = mkdtempSync(join(tmpdir(), 'method-guard-origin-'));
  const log = join(dir, 'ran.jsonl');
  writeFileSync(log, '');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const [command, ...args] = framework.command(port);
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...framework.env,
        PORT: String(port),
        ORIGIN_RULES: JSON.stringify(rules),
        RAN_LOG: log,
      },
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const url = `http://127.0.0.1:${port}`;
    try {
      await answering(url, child, () => output);
    } catch (error) {
      lastError = error;
      await stop(child);
      continue;
    }
    return {
      url,
      ran: () =>
        readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Ran),
      async close() {
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`${framework.name} did not start: ${String(lastError)}`);
}
