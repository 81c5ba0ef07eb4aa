/** `npm start` and `npm run dev` when something is missing: one clear message, not a stack trace or a loop. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const node = resolve('node_modules/.bin/node');

async function run(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', ...options.env };
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [script, ...args], { cwd: options.cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as { port: number }).port };
}

describe('npm start with a busy port', () => {
  it('names the guard port and PORT in one line', async () => {
    const busy = await listen();
    try {
      const { code, stderr } = await run('scripts/start.ts', [], { env: { PORT: String(busy.port) } });
      expect(code).toBe(1);
      expect(stderr).toBe(`Port ${busy.port} is in use: stop what runs there or set PORT.\n`);
    } finally {
      busy.server.close();
    }
  });

  it('names the demo origin port and DEMO_ORIGIN_PORT in one line', async () => {
    const busy = await listen();
    const free = await listen();
    free.server.close();
    try {
      const env = { PORT: String(free.port), DEMO_ORIGIN_PORT: String(busy.port) };
      const { code, stderr } = await run('scripts/start.ts', [], { env });
      expect(code).toBe(1);
      expect(stderr).toBe(`Port ${busy.port} is in use: stop what runs there or set DEMO_ORIGIN_PORT.\n`);
    } finally {
      busy.server.close();
    }
  });
});

describe('npm run dev', () => {
  let dir: string;
  const dev = resolve('scripts/dev.ts');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-script-'));
    await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'wrangler.toml'), 'name = "x"\nmain = "index.ts"\n[vars]\nORIGIN = ""\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses to start without an ORIGIN, saying what to set', async () => {
    const { code, stderr } = await run(dev, [], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('ORIGIN is empty, so the guard would forward every allowed request to itself');
    expect(stderr).toContain('cp .dev.vars.example .dev.vars');
  });

  it('starts wrangler dev once --var ORIGIN is given', async () => {
    const { code, stdout } = await run(dev, ['--var', 'ORIGIN:http://127.0.0.1:9', '--help'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('wrangler dev');
  }, 60_000);

  it('takes ORIGIN from .dev.vars', async () => {
    await writeFile(join(dir, '.dev.vars'), 'ORIGIN="http://127.0.0.1:9"\n');
    const { code } = await run(dev, ['--help'], { cwd: dir });
    expect(code).toBe(0);
  }, 60_000);
});
