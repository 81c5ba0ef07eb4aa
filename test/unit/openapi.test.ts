import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Router } from 'itty-router';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findDrift } from '../../src/cli/openapi/check.ts';
import { run } from '../../src/cli/openapi/command.ts';
import { exportOpenApi } from '../../src/cli/openapi/export.ts';
import { type ImportOptions, importOpenApi, renderRoutesModule, routerOf } from '../../src/cli/openapi/import.ts';
import { loadDocument } from '../../src/cli/openapi/load.ts';
import { analyzeRouter, type RouterLike } from '../../src/cli/route-table.ts';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-'));
  // Generated modules import itty-router, resolved from the repository's node_modules.
  await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let files = 0;
async function write(text: string, name = `spec-${files++}.yaml`): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const doc = (paths: string, head = 'openapi: 3.1.0\ninfo: { title: T, version: "1" }\n') => `${head}paths:\n${paths}`;

async function importYaml(yaml: string, options: ImportOptions = {}, name?: string) {
  return importOpenApi(await loadDocument(await write(yaml, name)), options);
}
const routesOf = async (yaml: string, options: ImportOptions = {}) =>
  (await importYaml(yaml, options)).routes.map((r) => `${r.method} ${r.pattern}`);

// What the imported rules match, as itty reads them: no origin readings (ORIGIN_PROFILE=any would
// also read `/c/v1.0...v2.0` as Rails' `/c/v1.0...v2` with a format, and match it).
const config = parseConfig({ ORIGIN_PROFILE: 'strict' });
/** Allow, or 'pass', for a request through the pure decision on the imported routes. */
function answer(router: RouterLike, method: string, path: string): string {
  const map = compileMethodMap(router.routes, config);
  const decision = decide(map, { method, url: new URL(path, 'https://api.test'), headers: new Headers() }, config);
  if (decision.action === 'refuse') return `${decision.status} ${decision.allow?.join(', ') ?? ''}`.trim();
  return decision.action === 'pass' && decision.unmatched ? 'unmatched' : 'pass';
}

describe('openapi import', () => {
  it('writes one route per (path, operation) under the base path of the first server, its variables at their default', async () => {
    const yaml = doc(
      '  /items:\n    get: {}\n    post: {}\n  /items/{id}:\n    delete: {}\n',
      'openapi: 3.0.3\ninfo: { title: T, version: "1" }\nservers:\n  - url: https://api.test/{v}/\n    variables: { v: { default: v2 } }\n  - url: /other\n',
    );
    expect(await routesOf(yaml)).toEqual(['GET /v2/items', 'POST /v2/items', 'DELETE /v2/items/:id']);
  });

  it("takes the base path from the operation's servers, else the path item's, else the document's", async () => {
    const yaml = doc(
      [
        '  /a:',
        '    servers: [{ url: https://x.test/item }]',
        '    get: {}',
        '    put: { servers: [{ url: /op }] }',
        '  /b:',
        '    get: {}',
      ].join('\n'),
      'openapi: 3.1.0\ninfo: { title: T, version: "1" }\nservers: [{ url: /doc }]\n',
    );
    expect(await routesOf(yaml)).toEqual(['GET /doc/b', 'GET /item/a', 'PUT /op/a']);
  });

  it('puts every route under --base instead of the servers', async () => {
    const yaml = doc(
      '  /a:\n    get: { servers: [{ url: /op }] }\n',
      'openapi: 3.1.0\ninfo: {}\nservers: [{ url: /doc }]\n',
    );
    expect(await routesOf(yaml, { base: '/edge/' })).toEqual(['GET /edge/a']);
    expect(await routesOf(yaml, { base: '' })).toEqual(['GET /a']);
    expect(await routesOf(yaml, { base: 'v2' })).toEqual(['GET /v2/a']);
  });

  it('ignores a trailing slash, of the path and of the base path', async () => {
    const yaml = doc(
      '  /a/:\n    get: {}\n  /:\n    post: {}\n',
      'openapi: 3.1.0\ninfo: {}\nservers: [{ url: /v1/ }]\n',
    );
    expect(await routesOf(yaml)).toEqual(['POST /v1', 'GET /v1/a']);
    expect(await routesOf(doc('  /:\n    get: {}\n'))).toEqual(['GET /']);
  });

  it('reads Swagger 2.0 documents under their basePath, and JSON as well as YAML', async () => {
    const json = JSON.stringify({
      swagger: '2.0',
      info: {},
      basePath: '/api',
      paths: { '/a': { get: {}, trace: {} } },
    });
    const result = importOpenApi(await loadDocument(await write(json, 'swagger.json')));
    expect((await result).routes.map((r) => `${r.method} ${r.pattern}`)).toEqual(['GET /api/a']);
  });

  it('follows a $ref path item, in the same document or in another file', async () => {
    await write('get: {}\npatch: {}\n', 'shared-item.yaml');
    const yaml = doc(
      "  /local:\n    $ref: '#/components/pathItems/Thing'\n  /remote:\n    $ref: shared-item.yaml\ncomponents:\n  pathItems:\n    Thing: { put: {} }\n",
    );
    expect(await routesOf(yaml)).toEqual(['PUT /local', 'GET /remote', 'PATCH /remote']);
  });

  it('names the path when a $ref goes round in a circle', async () => {
    const yaml = doc("  /a:\n    $ref: '#/x'\nx:\n  $ref: '#/paths/~1a'\n");
    await expect(importYaml(yaml)).rejects.toThrow(/paths\["\/a"\].*\$ref cycle/);
  });

  it('treats x- extensions as extensions, not methods, and reads 3.2 query and additionalOperations', async () => {
    expect(await routesOf(doc('  x-note: {}\n  /a:\n    get: {}\n    x-copy: {}\n    query: {}\n'))).toEqual([
      'GET /a',
    ]);
    const v32 = doc(
      '  /a:\n    query: {}\n    additionalOperations: { PROPFIND: {}, LINK: {} }\n',
      'openapi: 3.2.0\ninfo: {}\n',
    );
    const result = await importYaml(v32);
    expect(result.routes.map((r) => `${r.method} ${r.pattern}`)).toEqual(['PROPFIND /a', 'QUERY /a']);
    expect(result.notes).toEqual(['LINK /a: left out: workerd never hands LINK requests to a Worker']);
  });

  it('imports paths that differ only in parameter names as one route, with a note', async () => {
    const result = await importYaml(doc('  /a/{id}:\n    get: {}\n  /a/{key}:\n    get: {}\n    put: {}\n'));
    expect(result.routes.map((r) => `${r.method} ${r.pattern}`)).toEqual(['GET /a/:id', 'PUT /a/:key']);
    expect(result.notes).toEqual(['GET /a/{key}: matches the same requests as /a/{id}, which stands for both']);
  });

  it('allows on a literal segment the union of its own methods and those of a parameter beside it', async () => {
    const router = routerOf(
      (await importYaml(doc('  /repos/{owner}:\n    get: {}\n  /repos/search:\n    post: {}\n'))).routes,
    );
    expect(answer(router, 'PUT', '/repos/search')).toBe('405 GET, HEAD, POST, OPTIONS');
    expect(answer(router, 'POST', '/repos/octocat')).toBe('405 GET, HEAD, OPTIONS');
  });

  it('never lets a parameter span a "/"', async () => {
    const router = routerOf((await importYaml(doc('  /files/{path}:\n    get: {}\n'))).routes);
    expect(answer(router, 'POST', '/files/a')).toBe('405 GET, HEAD, OPTIONS');
    expect(answer(router, 'POST', '/files/a/b')).toBe('unmatched');
  });

  it('lets a parameter after a dot hold dots, which itty\'s own ".:ext" would refuse', async () => {
    const yaml = doc('  /c/{base}...{head}:\n    get: {}\n  /f/{name}.{ext}:\n    get: {}\n');
    const router = routerOf((await importYaml(yaml)).routes);
    expect(answer(router, 'POST', '/c/v1.0...v2.0')).toBe('405 GET, HEAD, OPTIONS');
    expect(answer(router, 'POST', '/f/archive.tar.gz')).toBe('405 GET, HEAD, OPTIONS');
    expect(answer(router, 'POST', '/f/archive.')).toBe('unmatched');
    // The reason for the escape: itty's `.:ext` admits no dot in the value.
    expect(answer(Router().get('/c/:base...:head'), 'POST', '/c/v1.0...v2.0')).toBe('unmatched');
  });

  it('keeps literal text glued to a parameter and characters itty reads as syntax literal', async () => {
    const yaml = doc('  /v{major}x/{user-id}/a*b:c/{id}(1)/caf%c3%a9 x:\n    get: {}\n');
    const router = routerOf((await importYaml(yaml)).routes);
    expect(answer(router, 'POST', '/v2x/u-1/a*b:c/7(1)/caf%C3%A9%20x')).toBe('405 GET, HEAD, OPTIONS');
    expect(answer(router, 'POST', '/v2/u-1/a*b:c/7(1)/caf%C3%A9%20x')).toBe('unmatched');
    expect(answer(router, 'POST', '/v2x/u-1/aZZb:c/7(1)/caf%C3%A9%20x')).toBe('unmatched');
  });

  it('imports a path key holding a query string as its path, with a note', async () => {
    const result = await importYaml(doc('  /search?kind={kind}:\n    post: {}\n  /search:\n    get: {}\n'));
    expect(result.routes.map((r) => `${r.method} ${r.pattern}`)).toEqual(['GET /search', 'POST /search']);
    expect(result.notes).toEqual([
      'POST /search?kind={kind}: imported as /search: a query string is not part of the path the guard matches',
    ]);
  });

  it('leaves out, with a note, a path the guard refuses outright', async () => {
    const result = await importYaml(doc('  /a;v=1:\n    get: {}\n  /b:\n    get: {}\n'));
    expect(result.routes.map((r) => r.pattern)).toEqual(['/b']);
    expect(result.notes[0]).toMatch(/^GET \/a;v=1: left out: the path holds a ";"/);
  });

  it('writes the same bytes for the same document, whatever the order of its paths and operations', async () => {
    const a = await importYaml(doc('  /b:\n    put: {}\n    get: {}\n  /a/{x}:\n    delete: {}\n'), {}, 'same.yaml');
    const b = await importYaml(doc('  /a/{x}:\n    delete: {}\n  /b:\n    get: {}\n    put: {}\n'), {}, 'same.yaml');
    expect(renderRoutesModule(a)).toBe(renderRoutesModule(b));
  });

  it('heads the module with the title and version of the document', async () => {
    const text = renderRoutesModule(
      await importYaml(doc('  /a:\n    get: {}\n', 'openapi: 3.1.0\ninfo: { title: Shop */ API, version: 2.1.0 }\n')),
    );
    expect(text.split('\n').slice(0, 4).join('\n')).toContain('"Shop * / API" version "2.1.0" (OpenAPI 3.1.0)');
  });

  it("is the generator of the example's routes.ts, byte for byte", async () => {
    const result = await importOpenApi(await loadDocument('examples/openapi/openapi.yaml'));
    expect(renderRoutesModule(result)).toBe(await readFile('examples/openapi/routes.ts', 'utf8'));
  });

  it('refuses, naming the file, a document that is not OpenAPI', async () => {
    await expect(importYaml('title: nope\n')).rejects.toThrow(
      /spec-\d+\.yaml: not an OpenAPI 3\.x or Swagger 2\.0 document/,
    );
  });
});

describe('the import command', () => {
  const quiet = () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  };

  it('writes a module the route lint passes and that exports the router', async () => {
    quiet();
    const spec = await write(doc('  /a/{id}:\n    get: {}\n  /a/search:\n    get: {}\n'));
    const out = join(dir, 'generated', 'routes.ts');
    expect(await run(['import', spec, '--out', out])).toBe(0);
    const router = ((await import(out)) as { default: RouterLike }).default;
    expect(router.routes.map(([method, , , path]) => `${method} ${path}`)).toEqual(['GET /a/:id', 'GET /a/search']);
    expect(analyzeRouter(router).errors).toBe(0);
    vi.restoreAllMocks();
  });

  it('exits 2 on usage errors and unreadable documents, 0 on --help', async () => {
    quiet();
    expect(await run([])).toBe(2);
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['import'])).toBe(2);
    expect(await run(['import', 'a.yaml', '--nope'])).toBe(2);
    expect(await run(['import', join(dir, 'missing.yaml')])).toBe(2);
    expect(await run(['import', await write('{ "openapi": "3.1.0", "paths": [] }', 'bad.json')])).toBe(2);
    expect(await run(['--help'])).toBe(0);
    vi.restoreAllMocks();
  });
});

describe('openapi check', () => {
  const yaml = doc('  /items:\n    get: {}\n    post: {}\n  /items/{id}:\n    get: {}\n    delete: {}\n');

  it('finds no drift between a document and the module imported from it', async () => {
    const spec = await importYaml(yaml);
    expect(findDrift(spec, routerOf(spec.routes))).toEqual([]);
  });

  it('lists what the document has and the rules refuse, and what the rules allow beyond the document', async () => {
    const spec = await importYaml(yaml);
    const rules = Router().get('/items').post('/items').get('/items/:key').put('/items/:key').get('/extra');
    expect(findDrift(spec, rules)).toEqual([
      { kind: 'missing', method: 'DELETE', path: '/items/{id}', sample: '/items/~id~', unmatched: false },
      { kind: 'extra', method: 'PUT', path: '/items/:key', sample: '/items/~key~' },
      { kind: 'extra', method: 'GET', path: '/extra', sample: '/extra' },
    ]);
  });

  it('judges hand-written rules by what they allow, not by how they are spelled', async () => {
    const spec = await importYaml(doc('  /files/{name}:\n    get: {}\n'));
    expect(findDrift(spec, Router().get('/files/*'))).toEqual([
      { kind: 'extra', method: 'GET', path: '/files/*', sample: '/files/' },
    ]);
    expect(findDrift(spec, Router().all('/files/:name'))).toMatchObject([{ kind: 'extra', method: 'ALL' }]);
  });

  it('counts an OPTIONS operation only when the rules declare it, since the guard answers any other OPTIONS itself', async () => {
    const spec = await importYaml(doc('  /a:\n    options: {}\n'));
    expect(findDrift(spec, Router().get('/a'))).toMatchObject([
      { kind: 'missing', method: 'OPTIONS' },
      { kind: 'extra', method: 'GET' },
    ]);
    expect(findDrift(spec, Router().options('/a'))).toEqual([]);
  });

  it('exits 1 on drift and 0 without, from the command line', async () => {
    const spec = await write(yaml);
    const routes = join(dir, 'check-routes.ts');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['import', spec, '--out', routes])).toBe(0);
    expect(await run(['check', spec, routes])).toBe(0);
    // A new file: the first module stays in the import cache.
    const edited = join(dir, 'check-routes-edited.ts');
    await writeFile(edited, (await readFile(routes, 'utf8')).replace("router.delete('/items/:id');\n", ''));
    expect(await run(['check', spec, edited])).toBe(1);
    vi.restoreAllMocks();
  });
});

describe('openapi export', () => {
  it('describes what the rules allow, HEAD and OPTIONS left implied, so importing it back gives no drift', async () => {
    const rules = Router()
      .get('/items')
      .post('/items')
      .get('/items/:id')
      .patch('/items/:id')
      .get('/items/:id.:format?');
    const document = exportOpenApi(rules, { title: 'T', version: '1' });
    expect(Object.keys(document.paths as object)).toEqual(['/items', '/items/{id}', '/items/{id}.{format}']);
    const file = await write(JSON.stringify(document), 'exported.json');
    expect(findDrift(await importOpenApi(await loadDocument(file)), rules)).toEqual([]);
  });

  it('lists patterns OpenAPI cannot express apart, with what they allow', () => {
    const document = exportOpenApi(Router().get('/static/*').put('/blobs/:key+'), { title: 'T', version: '1' });
    expect(document.paths).toEqual({});
    expect(document['x-method-guard-unexpressed']).toEqual([
      { pattern: '/static/*', methods: ['GET'] },
      { pattern: '/blobs/:key+', methods: ['PUT'] },
    ]);
  });

  it('writes YAML or JSON by the name of --out, from the command line', async () => {
    const routes = join(dir, 'export-routes.ts');
    await writeFile(
      routes,
      "import { Router } from 'itty-router';\nexport default Router().get('/a/:id').delete('/a/:id');\n",
    );
    expect(await run(['export', routes, '--out', join(dir, 'exported.yaml'), '--title', 'Mine'])).toBe(0);
    const yaml = (await loadDocument(join(dir, 'exported.yaml'))).root;
    expect(yaml).toMatchObject({ info: { title: 'Mine' }, paths: { '/a/{id}': { get: {}, delete: {} } } });
    expect(await run(['export', routes, '--out', join(dir, 'exported-back.json'), '--title', 'Mine'])).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'exported-back.json'), 'utf8'))).toEqual(yaml);
  });

  it('moves to OpenAPI 3.2 only for a method without a 3.1 operation key', () => {
    expect(exportOpenApi(Router().get('/a'), { title: 'T', version: '1' }).openapi).toBe('3.1.1');
    const document = exportOpenApi(Router().query('/a'), { title: 'T', version: '1' });
    expect(document).toMatchObject({ openapi: '3.2.0', paths: { '/a': { additionalOperations: { QUERY: {} } } } });
  });
});
