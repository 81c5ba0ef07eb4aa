/**
 * Proof the package installs: `npm pack`, then a scratch Worker project in a temp
 * folder that installs the tarball as a user would, adopts it in an existing itty
 * Worker in at most three changed lines, type-checks with `tsc --strict`, bundles
 * with `wrangler deploy --dry-run` (no nodejs_compat) and runs in workerd; and the
 * CLI runs there with `npx method-guard`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingOrigin, startRecordingOrigin } from '../../scripts/recording-origin.ts';

const repo = resolve('.');
const devDependencies = JSON.parse(await readFile('package.json', 'utf8')).devDependencies as Record<string, string>;

/** Existing itty Workers, before adopting the guard. */
const BEFORE = {
  // An app that answers everything itself (itty's README starts with AutoRouter).
  app: `import { AutoRouter } from 'itty-router';
const router = AutoRouter();
router.get('/items', () => [{ id: 1 }]).post('/items', async (request) => ({ created: await request.json() }));
export default router;
`,
  // A router in front of an origin.
  proxy: `import { Router } from 'itty-router';
const router = Router().get('/items').post('/items').get('/items/:id').delete('/items/:id');
export default router;
`,
};

/** The same Workers after adopting it, as README.md shows. */
const AFTER = {
  app: BEFORE.app
    .replace("import { AutoRouter } from 'itty-router';\n", "$&import { createGuard } from 'method-guard';\n")
    .replace('export default router;', 'export default createGuard(router);'),
  proxy: BEFORE.proxy
    .replace("import { Router } from 'itty-router';\n", "$&import { createGuard } from 'method-guard';\n")
    .replace('export default router;', "export default createGuard(router, { origin: 'https://origin.example.com' });"),
};

/** Lines in `after` that are not in `before`, plus lines of `before` that are gone. */
function changedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
  const common = lcs[0]?.[0] ?? 0;
  // A modified line counts once: max of lines removed and added.
  return Math.max(a.length - common, b.length - common);
}

const WRANGLER = (main: string, vars = 'UNMATCHED = "forward"\n') =>
  `name = "scratch"\nmain = "${main}"\ncompatibility_date = "2026-08-01"\n\n[vars]\n${vars}`;

let dir: string;
let packed: { files: { path: string }[]; filename: string };

async function sh(command: string, args: string[], cwd = dir) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', npm_config_update_notifier: 'false' };
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'method-guard-scratch-'));
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', dir], repo);
  expect(pack.code, pack.stderr).toBe(0);
  packed = JSON.parse(pack.stdout)[0];
  await mkdir(join(dir, 'src'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'scratch-worker',
        private: true,
        type: 'module',
        devDependencies: {
          'method-guard': `file:./${packed.filename}`,
          ...Object.fromEntries(
            ['itty-router', 'wrangler', 'typescript', '@cloudflare/workers-types'].map((name) => [
              name,
              devDependencies[name],
            ]),
          ),
        },
        allowScripts: { esbuild: true, workerd: true },
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022'],
        types: ['@cloudflare/workers-types'],
        strict: true,
        noEmit: true,
      },
      include: ['src'],
    }),
  );
  await writeFile(join(dir, 'src/app.ts'), AFTER.app);
  await writeFile(join(dir, 'src/proxy.ts'), AFTER.proxy);
  await writeFile(join(dir, 'wrangler.toml'), WRANGLER('src/proxy.ts'));
  await writeFile(join(dir, 'wrangler.app.toml'), WRANGLER('src/app.ts'));
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']);
  expect(install.code, install.stderr).toBe(0);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the compiled package and nothing from tests, bench or CI', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/guard/index.js');
    expect(paths).toContain('dist/guard/index.d.ts');
    expect(paths).toContain('dist/cli/main.js');
    const allowed = /^(dist\/.+\.(js|d\.ts)|docs\/[\w-]+\.md|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(paths.filter((p) => /test|bench|\.ci/.test(p))).toEqual([]);
  });

  it('gives a runtime entry that imports nothing but itty-router and its own files', async () => {
    const root = join(dir, 'node_modules/method-guard/dist/guard');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.js'));
    const imports = new Set<string>();
    for (const file of files) {
      // Comments quote imports (`import … from 'method-guard'`): only code counts.
      const text = (await readFile(join(root, file), 'utf8')).replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        if (!spec?.startsWith('.')) imports.add(spec as string);
      }
    }
    expect([...imports].filter((spec) => spec !== 'itty-router')).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });
});

describe('adopting it in an existing itty Worker', () => {
  it.each(['app', 'proxy'] as const)('changes at most three lines (%s)', (name) => {
    expect(changedLines(BEFORE[name], AFTER[name])).toBeLessThanOrEqual(3);
    expect(changedLines(BEFORE[name], AFTER[name])).toBeGreaterThan(0);
  });

  it('type-checks with tsc --strict, moduleResolution bundler, no Node types', async () => {
    const tsc = await sh(join(dir, 'node_modules/.bin/tsc'), ['-p', '.']);
    expect(tsc.code, tsc.stdout).toBe(0);
  });

  it.each([
    ['wrangler.toml', 'proxy.js'],
    ['wrangler.app.toml', 'app.js'],
  ])('bundles with wrangler deploy --dry-run (%s), without nodejs_compat', async (config, bundle) => {
    const built = await sh(join(dir, 'node_modules/.bin/wrangler'), [
      'deploy',
      '--dry-run',
      '-c',
      config,
      '--outdir',
      `out-${config}`,
    ]);
    expect(built.code, built.stderr).toBe(0);
    const text = await readFile(join(dir, `out-${config}`, bundle), 'utf8');
    expect(text).not.toMatch(/(?:from|import|require)\s*\(?\s*["']node:/);
  });
});

describe('the scratch Worker in workerd', () => {
  let origin: RecordingOrigin;
  const workers: Miniflare[] = [];
  const start = async (bundle: string, bindings: Record<string, string> = {}) => {
    const out = join(dir, bundle);
    const mf = new Miniflare({
      modules: true,
      scriptPath: out,
      modulesRoot: join(out, '..'),
      compatibilityDate: '2026-08-01',
      bindings,
    });
    workers.push(mf);
    await mf.ready;
    return mf;
  };
  beforeAll(async () => {
    origin = await startRecordingOrigin();
  });
  afterAll(async () => {
    await Promise.all(workers.map((mf) => mf.dispose()));
    await origin.close();
  });

  it('Router + origin: refuses a wrong method with 405 and Allow, forwards an allowed one', async () => {
    // The ORIGIN variable wins over the `origin` option in code.
    const mf = await start('out-wrangler.toml/proxy.js', { ORIGIN: origin.url });
    const refused = await mf.dispatchFetch('http://site.test/items/7', { method: 'PUT' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
    await refused.arrayBuffer();
    const allowed = await mf.dispatchFetch('http://site.test/items/7', { method: 'DELETE' });
    expect(await allowed.json()).toMatchObject({ reached: 'origin', method: 'DELETE', url: '/items/7' });
    expect(origin.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /items/7']);
  });

  it('AutoRouter app, no ORIGIN: 405 with Allow for a wrong method, the app answers the rest', async () => {
    const mf = await start('out-wrangler.app.toml/app.js');
    const refused = await mf.dispatchFetch('http://app.test/items', { method: 'DELETE' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    await refused.arrayBuffer();
    const created = await mf.dispatchFetch('http://app.test/items', { method: 'POST', body: '{"name":"x"}' });
    expect(await created.json()).toEqual({ created: { name: 'x' } });
    const missing = await mf.dispatchFetch('http://app.test/nowhere');
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });
});

describe('npx method-guard in this repository', () => {
  it('runs the build npm pack (prepare) made, an executable bin', async () => {
    expect((await stat(join(repo, 'dist/cli/main.js'))).mode & 0o111).not.toBe(0);
    const help = await sh('npx', ['method-guard', 'check', '--help'], repo);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('usage: method-guard check');
  });
});

describe('npx method-guard in the scratch project', () => {
  it('routes: prints the Allow table of the module that exports the guard', async () => {
    const { code, stdout, stderr } = await sh('npx', ['method-guard', 'routes', 'src/proxy.ts']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^\/items\/:id\s+GET, HEAD, DELETE, OPTIONS/m);
  });

  it('check: passes the valid wrangler.toml, and names UNMATCHED when it is not', async () => {
    expect((await sh('npx', ['method-guard', 'check'])).code).toBe(0);
    await writeFile(join(dir, 'wrangler.bad.toml'), WRANGLER('src/proxy.ts', 'UNMATCHED = "404s"\n'));
    const bad = await sh('npx', ['method-guard', 'check', '--config', 'wrangler.bad.toml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('invalid UNMATCHED="404s"');
  });

  it('openapi: imports a YAML description into rules the route lint passes, and finds no drift', async () => {
    const spec =
      'openapi: 3.1.0\ninfo: { title: Items, version: "1" }\nservers: [{ url: /v1 }]\npaths:\n  /items/{id}:\n    get: {}\n    delete: {}\n';
    await writeFile(join(dir, 'openapi.yaml'), spec);
    const imported = await sh('npx', [
      'method-guard',
      'openapi',
      'import',
      'openapi.yaml',
      '--out',
      'src/api-routes.ts',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const routes = await sh('npx', ['method-guard', 'routes', 'src/api-routes.ts']);
    expect(routes.stdout).toMatch(/^\/v1\/items\/:id\s+GET, HEAD, DELETE, OPTIONS/m);
    expect((await sh('npx', ['method-guard', 'openapi', 'check', 'openapi.yaml', 'src/api-routes.ts'])).code).toBe(0);
  });
});
