/**
 * GitHub's REST API description imported into a routes module, bundled by
 * `wrangler deploy --dry-run` into a Worker (no binding but ORIGIN, LOG_LEVEL=off)
 * and run in workerd in front of a recording origin, on a sample of ~30 paths.
 * Expected answers come from the independent reading in test/support/openapi-reference.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOpenApi, renderRoutesModule } from '../../src/cli/openapi/import.ts';
import { loadDocument } from '../../src/cli/openapi/load.ts';
import { buildDir, type GuardServer, startBundle } from '../support/guard-server.ts';
import { send } from '../support/http.ts';
import { collidingFill, fillTemplate, referenceAllow, referencePaths } from '../support/openapi-reference.ts';

const GITHUB = 'node_modules/@octokit/openapi/generated/api.github.com.json';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY', 'PROPFIND'];
const dir = buildDir('openapi-github');
const out = join(dir, 'out');

const reference = referencePaths(GITHUB);
// Every 27th template (~30 of them), its parameters filled with other templates' literals where there are any.
const SAMPLE = reference
  .filter((_, i) => i % 27 === 0)
  .map(({ template }) => fillTemplate(template, collidingFill(reference, template)));

let guard: GuardServer;
beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'routes.ts'), renderRoutesModule(await importOpenApi(await loadDocument(GITHUB))));
  writeFileSync(
    join(dir, 'worker.ts'),
    "import { createGuard } from 'method-guard';\nimport router from './routes.ts';\n\nexport default createGuard(router);\n",
  );
  writeFileSync(
    join(dir, 'wrangler.toml'),
    'name = "openapi-github"\nmain = "worker.ts"\ncompatibility_date = "2026-08-01"\nupload_source_maps = true\n',
  );
  execFileSync(
    process.execPath,
    ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '-c', join(dir, 'wrangler.toml'), '--outdir', out],
    { stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  guard = await startBundle(join(out, 'worker.js'), (origin) => ({ ORIGIN: origin, LOG_LEVEL: 'off' }));
});
afterAll(() => guard?.close());

describe("GitHub's REST API rules in workerd", () => {
  it('samples paths where several templates match', () => {
    expect(SAMPLE.length).toBeGreaterThanOrEqual(30);
    expect(SAMPLE.some((path) => reference.filter((p) => p.regexp.test(path)).length > 1)).toBe(true);
  });

  it.each(SAMPLE)(
    'forwards the described methods of %s and refuses the others with the Allow of every matching template',
    async (path) => {
      const allow = referenceAllow(reference, path) as string[];
      for (const method of METHODS) {
        const before = guard.origin.requests.length;
        const response = await send(guard.url, path, { method });
        const reached = guard.origin.requests.slice(before).map((r) => `${r.method} ${r.url}`);
        if (!allow.includes(method)) {
          expect([response.status, response.headers.allow, reached], `${method} ${path}`).toEqual([
            405,
            allow.join(', '),
            [],
          ]);
        } else if (method === 'OPTIONS') {
          expect([response.status, response.headers.allow, reached], `${method} ${path}`).toEqual([
            204,
            allow.join(', '),
            [],
          ]);
        } else {
          expect([response.status, reached], `${method} ${path}`).toEqual([200, [`${method} ${path}`]]);
        }
      }
    },
  );

  it('writes no log line with LOG_LEVEL=off', () => {
    expect(guard.logs.filter((line) => line.includes('"decision"'))).toEqual([]);
  });

  it('bundles nothing of the OpenAPI import or its YAML parser into a Worker', () => {
    for (const map of [join(out, 'worker.js.map'), resolve(buildDir('site'), 'index.js.map')]) {
      const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
      expect(
        sources.some((s) => s.includes('src/guard/')),
        map,
      ).toBe(true);
      expect(
        sources.filter((s) => /node_modules\/(yaml|@octokit)\/|src\/cli\//.test(s)),
        map,
      ).toEqual([]);
    }
  });
});
