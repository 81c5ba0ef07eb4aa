import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AutoRouter, IttyRouter, Router } from 'itty-router';
import { AutoRouter as AutoRouterAlone } from 'itty-router/AutoRouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRouter, type Finding, formatReport, type RouterLike } from '../../src/cli/route-table.ts';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';
import siteRouter from '../../src/routes.ts';
import fixtureRouter from '../fixtures/routes.ts';

const answer = () => new Response('edge');
const pass = () => undefined;

const findings = (router: RouterLike) => analyzeRouter(router).findings;
const rules = (router: RouterLike) => findings(router).map((f) => `${f.severity}:${f.rule}:#${f.route ?? '-'}`);
const only = (router: RouterLike): Finding => {
  const all = findings(router);
  expect(all).toHaveLength(1);
  return all[0] as Finding;
};

describe('the route table', () => {
  it('has one row per pattern, in the order the patterns first appear', () => {
    const table = analyzeRouter(Router().get('/a').post('/b').put('/a')).table;
    expect(table.map((row) => row.pattern)).toEqual(['/a', '/b']);
  });

  it("gives each pattern the Allow the guard's 405 and OPTIONS answers carry", () => {
    const config = parseConfig({});
    const map = compileMethodMap(fixtureRouter.routes, config);
    for (const row of analyzeRouter(fixtureRouter).table.filter((r) => r.sometimes.length === 0)) {
      const url = new URL(row.pattern.replace(/:\w+|\*/g, 'x'), 'http://guard.test');
      const decision = decide(map, { method: 'OPTIONS', url, headers: new Headers() }, config);
      expect(row.allow, row.pattern).toEqual('allow' in decision ? decision.allow : null);
    }
  });

  it('lists apart the methods a narrower pattern adds on some of the paths', () => {
    const row = analyzeRouter(fixtureRouter).table.find((r) => r.pattern === '/files/*');
    expect(row).toMatchObject({ allow: ['GET', 'HEAD', 'OPTIONS'], sometimes: ['PUT', 'DELETE'] });
  });

  it('shows the Allow table of the integration rules', () => {
    const table = analyzeRouter(fixtureRouter).table.map((row) => `${row.pattern} ${row.allow?.join(', ')}`);
    expect(table.slice(0, 5)).toEqual([
      '/hello GET, HEAD, OPTIONS',
      '/articles/:slug GET, HEAD, OPTIONS',
      '/forms/contact POST, OPTIONS',
      '/api/items GET, HEAD, POST, OPTIONS',
      '/api/items/:id GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
    ]);
  });

  it('unions the methods of a broader pattern into the row of a narrower one', () => {
    const [, row] = analyzeRouter(Router().get('/files/*').put('/files/uploads/:name')).table;
    expect(row?.allow).toEqual(['GET', 'HEAD', 'PUT', 'OPTIONS']);
  });

  it('puts a method whose route has a handler under EDGE HANDLER and one without under FORWARDED', () => {
    const [row] = analyzeRouter(Router().get('/a', answer).post('/a')).table;
    expect(row).toMatchObject({ edge: ['GET'], forwarded: ['POST'] });
  });

  it('names an all route ALL rather than every method it allows', () => {
    const [row] = analyzeRouter(Router().all('/api/*')).table;
    expect(row).toMatchObject({ edge: [], forwarded: ['ALL'] });
    expect(row?.allow).toContain('PROPFIND');
    expect(row?.allow).not.toContain('TRACE');
  });

  it('counts before and finally middleware without mistaking route methods for them', () => {
    expect(analyzeRouter(Router().get('/a')).middleware).toEqual({ before: 0, finally: 0 });
    expect(analyzeRouter(Router({ before: [pass], finally: [pass] }).get('/a')).middleware).toEqual({
      before: 1,
      finally: 1,
    });
  });
});

describe('the lint: routers', () => {
  it('finds nothing wrong with src/routes.ts', () => {
    expect(findings(siteRouter)).toEqual([]);
  });

  it('accepts IttyRouter and Router with before middleware', () => {
    expect(findings(IttyRouter().get('/a'))).toEqual([]);
    expect(findings(Router({ before: [pass] }).get('/a'))).toEqual([]);
  });

  it('warns that an AutoRouter answers everything itself, so nothing reaches ORIGIN', () => {
    const finding = only(AutoRouter().get('/a'));
    expect(finding).toMatchObject({ severity: 'warning', rule: 'auto-router' });
    expect(finding.message).toContain('forwards nothing to ORIGIN');
    expect(finding.message).toContain("in front of an origin use itty's Router()");
  });

  it('recognises an AutoRouter imported from itty-router/AutoRouter', () => {
    expect(only(AutoRouterAlone().get('/a')).rule).toBe('auto-router');
  });

  it('warns about a router without routes', () => {
    expect(only(Router())).toMatchObject({ severity: 'warning', rule: 'no-routes' });
  });
});

describe('the lint: duplicates and shadowing', () => {
  it('rejects the same method and pattern twice when the repeat has no handlers', () => {
    expect(rules(Router().get('/a').get('/a'))).toEqual(['error:duplicate:#2']);
  });

  it('rejects a repeat whose first declaration has no handlers, naming that one', () => {
    const finding = only(Router().get('/a').get('/a', answer));
    expect(finding.rule).toBe('duplicate');
    expect(finding.message).toContain('#1 has no handlers');
  });

  it('treats patterns that differ only in parameter names as the same pattern', () => {
    expect(rules(Router().get('/a/:id').get('/a/:key'))).toEqual(['error:duplicate:#2']);
  });

  it('does not flag one pattern declared with different methods', () => {
    expect(findings(Router().get('/a').post('/a').delete('/a'))).toEqual([]);
  });

  it('warns that a repeat with handlers runs only when the first handlers return nothing', () => {
    expect(rules(Router().get('/a', answer).get('/a', answer))).toEqual(['warning:shadowed:#2']);
  });

  it('warns that a handler route inside an earlier broader handler route may never run', () => {
    const finding = only(Router().get('/api/*', answer).get('/api/items/:id', answer));
    expect(finding).toMatchObject({ severity: 'warning', rule: 'shadowed', route: 2 });
    expect(finding.message).toContain("#1 get('/api/*')");
  });

  it('does not call a handler route shadowed by a broader route without handlers', () => {
    expect(findings(Router().get('/api/*').get('/api/items', answer))).toEqual([]);
  });

  it('warns that a route without handlers inside a broader route of the same method adds nothing', () => {
    expect(rules(Router().get('/static/*').get('/static/app.js'))).toEqual(['warning:redundant:#2']);
  });

  it('treats an all route as covering the methods it implies', () => {
    expect(rules(Router().all('/api/*').get('/api/items'))).toEqual(['warning:redundant:#2']);
  });

  it('covers the path an optional parameter leaves out', () => {
    expect(rules(Router().get('/docs/:page?').get('/docs'))).toEqual(['warning:redundant:#2']);
  });

  it('finds a wildcard covers a one-segment parameter, never the reverse', () => {
    expect(rules(Router().get('/a/:id').get('/a/*'))).toEqual(['warning:redundant:#1']);
  });

  it('finds a greedy parameter covers a one-segment parameter, never the reverse', () => {
    expect(rules(Router().get('/a/:id').get('/a/:rest+'))).toEqual(['warning:redundant:#1']);
  });

  it('finds a bare parameter covers a parameter with a literal suffix, never the reverse', () => {
    expect(rules(Router().get('/files/:name.json').get('/files/:name'))).toEqual(['warning:redundant:#1']);
  });

  it('finds no cover between parameters in different segments', () => {
    expect(findings(Router().get('/:a/items').get('/users/:b'))).toEqual([]);
  });
});

describe('the lint: all() on a subtree', () => {
  it('rejects all() with a handler on a prefix, the auth idiom that opens every method under it', () => {
    const finding = findings(Router().all('/admin/*', pass).get('/admin/users'))[0] as Finding;
    expect(finding).toMatchObject({ severity: 'error', rule: 'all-subtree', route: 1 });
    expect(finding.message).toContain('allows every method on every path under /admin');
    expect(finding.message).toContain('use `before` middleware');
  });

  it('also catches a greedy parameter as the prefix', () => {
    expect(rules(Router().all('/api/:rest+', pass))).toEqual(['error:all-subtree:#1']);
  });

  it('accepts all() without handlers on a prefix: a deliberate "any method is forwarded here"', () => {
    expect(findings(Router().all('/anything/*'))).toEqual([]);
  });

  it('leaves all() on a single path alone', () => {
    expect(findings(Router().all('/webhook', pass))).toEqual([]);
  });
});

describe('the lint: parameters spelled as other routers spell them', () => {
  it('suggests :param for {param}', () => {
    const finding = only(Router().get('/items/{id}'));
    expect(finding).toMatchObject({ severity: 'error', rule: 'param-syntax' });
    expect(finding.message).toContain("did you mean '/items/:id' (:id)?");
  });

  it('suggests :param or request.query for ?q= in a pattern', () => {
    const finding = only(Router().get('/search?q=:term'));
    expect(finding).toMatchObject({ severity: 'error', rule: 'param-syntax' });
    expect(finding.message).toContain("did you mean '/search/:q', or '/search' reading request.query.q?");
  });
});

describe('the lint: catch-alls', () => {
  it("rejects all('*') and explains Router({ before })", () => {
    const finding = only(Router().all('*', pass).get('/a'));
    expect(finding).toMatchObject({ severity: 'error', rule: 'catch-all', route: 1 });
    expect(finding.message).toContain('Router({ before: [middleware] })');
  });

  it("rejects all('/*')", () => {
    expect(rules(Router().all('/*'))).toEqual(['error:catch-all:#1']);
  });

  it('accepts an all route limited to a subtree', () => {
    expect(findings(Router().all('/api/*'))).toEqual([]);
  });
});

describe('the lint: patterns that can never match', () => {
  it.each([
    ['/a%3Bb', 'encoded ";"'],
    ['/a%2541', 'double encoding'],
    ['/a%2Fb', 'encoded path separator'],
    ['/a%2fb', 'encoded path separator'],
  ])('rejects %s, a path the guard refuses with 400', (pattern, reason) => {
    const finding = only(Router().get(pattern));
    expect(finding).toMatchObject({ severity: 'error', rule: 'never-matches' });
    expect(finding.message).toContain(reason);
  });

  it('rejects a literal non-ASCII character, which reaches the router percent-encoded', () => {
    expect(only(Router().get('/café')).message).toContain('/caf%C3%A9');
  });

  it('rejects an encoded unreserved character, which the guard decodes', () => {
    expect(only(Router().get('/a/%61')).message).toContain('reaches the router as /a/a');
  });

  it('rejects a dot segment, which URL parsing removes', () => {
    expect(only(Router().get('/a/./b')).rule).toBe('never-matches');
  });

  it('rejects a pattern that does not start with a slash', () => {
    expect(only(Router().get('api/items')).message).toContain('does not start with "/"');
  });

  it('accepts a pattern with a double slash, which itty collapses', () => {
    expect(findings(Router().get('/a//b'))).toEqual([]);
  });

  it('accepts an encoded reserved character, which the guard keeps encoded', () => {
    expect(findings(Router().get('/a%3Ab'))).toEqual([]);
  });

  it('warns that regex syntax in a pattern cannot be checked', () => {
    expect(rules(Router().get('/a+b'))).toEqual(['warning:regex-syntax:#1']);
  });

  it('rejects CONNECT, which workerd never passes to fetch', () => {
    expect(rules(Router().connect('/tunnel'))).toEqual(['error:unreachable-method:#1']);
  });

  it('rejects a method workerd answers with 501 itself', () => {
    expect(only(Router().brew('/coffee')).message).toContain('BREW');
  });
});

describe('the text report', () => {
  it('prints the table and says when nothing is wrong', () => {
    const router = Router()
      .get('/items')
      .post('/items')
      .get('/items/:id', answer)
      .get('/files/*')
      .put('/files/up/:name');
    const text = formatReport(analyzeRouter(router), 'routes.ts');
    expect(text).toContain('routes.ts: 5 routes, 4 patterns');
    expect(text).toMatch(/^\/items +GET, HEAD, POST, OPTIONS +- +GET, POST$/m);
    expect(text).toMatch(/^\/items\/:id +GET, HEAD, OPTIONS +GET +-$/m);
    expect(text).toMatch(/^\/files\/\* +GET, HEAD, OPTIONS \(\+ PUT on some paths\) +- +GET, PUT$/m);
    expect(text).toContain('No problems found.');
  });

  it('says where undeclared paths get 404 and where they are forwarded, as the wrangler config sets it', () => {
    const report = analyzeRouter(Router().get('/api/items'));
    const policy = { source: 'wrangler.toml', unmatched: 'forward', unmatched404: ['/api/*', '/admin/*'] } as const;
    expect(formatReport(report, 'x.ts', policy)).toContain(
      'Paths no pattern matches: 404 under /api/*, /admin/* (UNMATCHED_404), forwarded elsewhere (UNMATCHED=forward), as wrangler.toml sets them.',
    );
    expect(formatReport(report, 'x.ts', { ...policy, unmatched404: [] })).toContain(
      'Paths no pattern matches are forwarded (UNMATCHED=forward in wrangler.toml).',
    );
  });

  it('names what an all route allows by the methods it leaves out', () => {
    expect(formatReport(analyzeRouter(Router().all('/api/*')), 'x.ts')).toMatch(
      /^\/api\/\* +every method but TRACE +- +ALL$/m,
    );
  });

  it('prints each finding with its severity and rule, then the counts', () => {
    const text = formatReport(analyzeRouter(Router().get('/a').get('/a').get('/b/*').get('/b/c')), 'x.ts');
    expect(text).toContain("error[duplicate] #2 get('/a'): repeats #1 get('/a')");
    expect(text).toContain("warning[redundant] #4 get('/b/c')");
    expect(text).toContain('1 error, 1 warning.');
  });
});

describe('npm run routes', () => {
  const node = resolve('node_modules/.bin/node');
  const run = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(node, ['src/cli/main.ts', 'routes', ...args]);
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'routes-cli-'));
    await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
    await writeFile(
      join(dir, 'catch-all.ts'),
      "import { Router } from 'itty-router';\nexport default Router().all('*').get('/a');\n",
    );
    await writeFile(
      join(dir, 'warning.ts'),
      "import { Router } from 'itty-router';\nexport default Router().get('/a/*').get('/a/b');\n",
    );
    await writeFile(join(dir, 'not-a-router.ts'), 'export default { hello: 1 };\n');
    await writeFile(
      join(dir, 'guarded.ts'),
      `import { Router } from 'itty-router';\nimport { createGuard } from ${JSON.stringify(resolve('src/guard/index.ts'))};\n` +
        "export default createGuard(Router().get('/a').post('/a'));\n",
    );
    await writeFile(
      join(dir, 'hono.ts'),
      "import { Hono } from 'hono';\nexport default new Hono().get('/a', (c) => c.text('a'));\n",
    );
    await writeFile(
      join(dir, 'worker.ts'),
      "import { Router } from 'itty-router';\nconst r = Router().get('/a');\nexport default { fetch: r.fetch };\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 0 and prints the table of src/routes.ts by default', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^src\/routes\.ts: \d+ routes, \d+ patterns, read as ORIGIN_PROFILE=any reads paths/);
  });

  it('exits 1 when the lint finds an error', async () => {
    const { code, stdout } = await run(join(dir, 'catch-all.ts'));
    expect(code).toBe(1);
    expect(stdout).toContain('error[catch-all]');
  });

  it('exits 0 when the lint finds only warnings', async () => {
    const { code, stdout } = await run(join(dir, 'warning.ts'));
    expect(code).toBe(0);
    expect(stdout).toContain('warning[redundant]');
  });

  it('prints the report as JSON with --json', async () => {
    const { stdout } = await run('--json', join(dir, 'catch-all.ts'));
    expect(JSON.parse(stdout)).toMatchObject({
      errors: 1,
      findings: [{ severity: 'error', rule: 'catch-all', route: 1 }],
      table: [{ pattern: '*' }, { pattern: '/a' }],
    });
  });

  it('reads a rules file kept where no node_modules is, resolving itty-router from the project', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'routes-bare-'));
    try {
      await writeFile(
        join(bare, 'routes.ts'),
        "import { Router } from 'itty-router';\nexport default Router().get('/a');\n",
      );
      const { code, stdout } = await run(join(bare, 'routes.ts'));
      expect(code).toBe(0);
      expect(stdout).toContain('/a');
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('exits 2 when the module does not default-export a router', async () => {
    const { code, stderr } = await run(join(dir, 'not-a-router.ts'));
    expect(code).toBe(2);
    expect(stderr).toContain('not an itty router');
  });

  it('exits 2 with a clear message for a Hono app', async () => {
    const { code, stderr } = await run(join(dir, 'hono.ts'));
    expect(code).toBe(2);
    expect(stderr).toContain("the default export is a Hono app; method-guard reads itty-router's route table");
  });

  it('exits 2 naming the mistake when given the Worker instead of its router', async () => {
    const { code, stderr } = await run(join(dir, 'worker.ts'));
    expect(code).toBe(2);
    expect(stderr).toContain('the default export is a Worker ({ fetch }), not its router');
  });

  it('reads the router of a module that exports the guard (createGuard(router))', async () => {
    const { code, stdout } = await run(join(dir, 'guarded.ts'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\/a\s+GET, HEAD, POST, OPTIONS/m);
  });

  it('prints each pattern as written', async () => {
    const { stdout } = await run(join(dir, 'warning.ts'));
    expect(stdout).toMatch(/^\/a\/\*\s/m);
    expect(stdout).toMatch(/^\/a\/b\s/m);
  });
});

describe('the lint: spellings the origin profile reads as another path', () => {
  const photos = () => Router().get('/photos/new').post('/photos/new').get('/photos/:id').patch('/photos/:id');

  it('warns under rails that /photos/new.json is also /photos/new, where Allow differs', () => {
    const report = analyzeRouter(photos(), parseConfig({ ORIGIN_PROFILE: 'rails' }));
    const found = report.findings.filter((f) => f.rule === 'profile-reading');
    expect(found[0]?.message).toContain('/photos/new.json is read as /photos/new.json or /photos/new');
    expect(report.profile).toEqual(['rails']);
  });

  it('says nothing under strict, which reads the exact path only', () => {
    const report = analyzeRouter(photos(), parseConfig({ ORIGIN_PROFILE: 'strict' }));
    expect(report.findings.filter((f) => f.rule === 'profile-reading')).toEqual([]);
  });
});
