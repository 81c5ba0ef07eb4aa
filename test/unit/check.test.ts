import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVars } from '../../src/cli/check.ts';

describe('checkVars', () => {
  it('finds nothing wrong with valid settings', () => {
    expect(checkVars({ UNMATCHED: '404', CORS_MAX_AGE: 60, LOG_LEVEL: 'warn' })).toEqual([]);
  });

  it('names the variable of an invalid value, in the words the Worker uses', () => {
    expect(checkVars({ UNMATCHED: '404s' })).toEqual([
      {
        severity: 'error',
        variable: 'UNMATCHED',
        message: 'invalid UNMATCHED="404s": expected one of "forward", "404"',
      },
    ]);
  });

  it('reports every invalid setting, not only the first', () => {
    const found = checkVars({ ORIGIN: 'nope', UNMATCHED: 'drop', LOG_LEVEL: 'loud', CORS_MAX_AGE: '-1' });
    expect(found.map((f) => f.variable).sort()).toEqual(['CORS_MAX_AGE', 'LOG_LEVEL', 'ORIGIN', 'UNMATCHED']);
  });

  it('suggests the setting a misspelled name was meant to be', () => {
    expect(checkVars({ UNMATCHD: '404' })).toEqual([
      {
        severity: 'error',
        variable: 'UNMATCHD',
        message: 'UNMATCHD is not a method-guard setting: did you mean UNMATCHED?',
      },
    ]);
    expect(checkVars({ log_level: 'info' })[0]?.message).toContain('did you mean LOG_LEVEL?');
    expect(checkVars({ mode: 'report' })[0]?.message).toContain('did you mean MODE?');
    expect(checkVars({ ORIGN: 'https://a.example' })[0]?.message).toContain('did you mean ORIGIN?');
  });

  it("takes an app's short variable one letter off a short setting for the app's own (CODE is not MODE)", () => {
    expect(checkVars({ CODE: 'x', NODE: 'y' }).map((f) => f.severity)).toEqual(['note', 'note']);
  });

  it("leaves the app's own variables alone, with a note", () => {
    expect(checkVars({ API_BASE: 'https://api.example.com' })).toEqual([
      { severity: 'note', variable: 'API_BASE', message: 'API_BASE is not a method-guard setting (left to the app)' },
    ]);
  });
});

describe('method-guard check', () => {
  const main = resolve('src/cli/main.ts');
  const node = resolve('node_modules/.bin/node');
  let dir: string;
  const run = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(node, [main, 'check', ...args], { cwd: dir });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'check-cli-'));
    await writeFile(
      join(dir, 'wrangler.toml'),
      [
        'name = "x"',
        '[vars]',
        'UNMATCHED = "forward"',
        'API_BASE = "https://api.example.com"',
        '[env.staging.vars]',
        'UNMATCHED = "404s"',
        '[env.production.vars]',
        'UNMATCHD = "404"',
        '[env.bare]',
        'name = "bare"',
      ].join('\n'),
    );
    await writeFile(join(dir, 'broken.toml'), '[vars\nUNMATCHED = ');
    await writeFile(join(dir, 'wrangler.json'), JSON.stringify({ vars: { LOG_LEVEL: 'loud' } }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads ./wrangler.toml and checks [vars] and every environment, exiting 1 on errors', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(1);
    expect(stdout).toContain('wrangler.toml [vars]: ok');
    expect(stdout).toContain(
      'wrangler.toml [env.staging.vars]: error: invalid UNMATCHED="404s": expected one of "forward", "404"',
    );
    expect(stdout).toContain(
      'wrangler.toml [env.production.vars]: error: UNMATCHD is not a method-guard setting: did you mean UNMATCHED?',
    );
    expect(stdout).toContain('wrangler.toml [env.bare.vars]: ok');
  });

  it('checks one environment with --env', async () => {
    expect((await run('--env', 'bare')).code).toBe(0);
    const staging = await run('--env', 'staging');
    expect(staging.code).toBe(1);
    expect(staging.stdout).not.toContain('[vars]:');
  });

  it('exits 2 for an environment the config does not have, listing those it has', async () => {
    const { code, stderr } = await run('--env', 'prod');
    expect(code).toBe(2);
    expect(stderr).toContain('no [env.prod] in the config (environments: staging, production, bare)');
  });

  it('reads another config with --config, TOML or JSON', async () => {
    const { code, stdout } = await run('--config', 'wrangler.json');
    expect(code).toBe(1);
    expect(stdout).toContain('invalid LOG_LEVEL="loud"');
  });

  it('reads ./wrangler.jsonc when there is no wrangler.toml, comments and trailing commas included', async () => {
    const jsoncDir = await mkdtemp(join(tmpdir(), 'check-jsonc-'));
    try {
      await writeFile(
        join(jsoncDir, 'wrangler.jsonc'),
        '{\n  // a new project\n  "name": "x", /* vars */\n  "vars": { "UNMATCHED": "404s", "LOG_LEVEL": "warn", },\n}\n',
      );
      const { code, stdout } = await promisify(execFile)(node, [main, 'check'], { cwd: jsoncDir }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      expect(code).toBe(1);
      expect(stdout).toContain('wrangler.jsonc [vars]: error: invalid UNMATCHED="404s"');
    } finally {
      await rm(jsoncDir, { recursive: true, force: true });
    }
  });

  it('exits 2 when the config cannot be read or parsed', async () => {
    expect((await run('--config', 'missing.toml')).code).toBe(2);
    const broken = await run('--config', 'broken.toml');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.toml: cannot load');
  });

  it('exits 2 on an unknown option, printing the usage', async () => {
    const { code, stderr } = await run('--strict');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: method-guard check');
  });

  it('passes the wrangler.toml this repository ships', async () => {
    const { code, stdout } = await run('--config', resolve('wrangler.toml'));
    expect(code, stdout).toBe(0);
  });
});

describe('method-guard --help', () => {
  const node = resolve('node_modules/.bin/node');
  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(node, ['src/cli/main.ts', ...args]);
      return { code: 0, out: stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  };

  it('lists every command and the exit codes', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['routes', 'check', 'openapi']) expect(out).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(out).toContain('Exit codes: 0 ok, 1 findings');
  });

  it.each(['routes', 'check', 'openapi'])('prints the usage of %s with --help', async (command) => {
    const { code, out } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`method-guard ${command}`);
  });

  it('exits 2 on an unknown command, and on none', async () => {
    expect(await cli('rutes')).toMatchObject({ code: 2, out: expect.stringContaining('unknown command rutes') });
    expect((await cli()).code).toBe(2);
  });
});
