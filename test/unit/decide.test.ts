import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/guard/config.ts';
import { type Decision, decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';

const router = Router()
  .get('/hello')
  .get('/api/items')
  .post('/api/items')
  .get('/api/items/:id')
  .put('/api/items/:id')
  .delete('/api/items/:id')
  .patch('/api/items/:id/*')
  .get('/files/*')
  .put('/files/uploads/*')
  .all('/anything/*')
  .propfind('/dav/:name')
  .trace('/debug')
  .options('/custom-options')
  .get('/docs/:page?');

function decision(method: string, path: string, env: Record<string, string> = {}, headers: HeadersInit = {}): Decision {
  const config = parseConfig({ ORIGIN: 'http://127.0.0.1:9000', ...env });
  const url = new URL(path, 'http://guard.test');
  return decide(compileMethodMap(router.routes, config), { method, url, headers: new Headers(headers) }, config);
}

const allowOf = (d: Decision) => ('allow' in d ? d.allow?.join(', ') : undefined);

describe('decide: the seed example', () => {
  it('passes GET /hello', () => {
    expect(decision('GET', '/hello')).toMatchObject({ action: 'pass', path: '/hello', unmatched: false });
  });

  it('refuses POST /hello with 405 and Allow: GET, HEAD, OPTIONS', () => {
    const d = decision('POST', '/hello');
    expect(d).toMatchObject({ action: 'refuse', status: 405 });
    expect(allowOf(d)).toBe('GET, HEAD, OPTIONS');
  });
});

describe('decide: Allow is the union over every matching route', () => {
  it('unions GET and POST declared on separate routes', () => {
    expect(allowOf(decision('DELETE', '/api/items'))).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('unions a param route with a wildcard route that also matches', () => {
    expect(allowOf(decision('POST', '/api/items/7/notes'))).toBe('PATCH, OPTIONS');
    expect(allowOf(decision('POST', '/api/items/7'))).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
  });

  it('unions nested wildcards', () => {
    expect(allowOf(decision('DELETE', '/files/uploads/a.png'))).toBe('GET, HEAD, PUT, OPTIONS');
    expect(allowOf(decision('DELETE', '/files/readme.txt'))).toBe('GET, HEAD, OPTIONS');
  });

  it('lists custom methods after the canonical ones, A to Z', () => {
    expect(allowOf(decision('GET', '/dav/x'))).toBe('OPTIONS, PROPFIND');
  });

  it('treats an optional param as matching with and without it', () => {
    expect(decision('GET', '/docs')).toMatchObject({ action: 'pass' });
    expect(decision('GET', '/docs/intro')).toMatchObject({ action: 'pass' });
    expect(decision('POST', '/docs/intro')).toMatchObject({ status: 405 });
  });
});

describe('decide: HEAD, OPTIONS, TRACE', () => {
  it('lets HEAD through where GET is declared, answered by the GET handler', () => {
    expect(decision('HEAD', '/hello')).toMatchObject({ action: 'pass', handlerMethod: 'GET' });
  });

  it('answers OPTIONS at the edge where no route declares it', () => {
    expect(decision('OPTIONS', '/hello')).toMatchObject({ action: 'options', allow: ['GET', 'HEAD', 'OPTIONS'] });
  });

  it('passes OPTIONS to the router where a route declares it', () => {
    expect(decision('OPTIONS', '/custom-options')).toMatchObject({ action: 'pass', handlerMethod: 'OPTIONS' });
  });

  it('lets an all route allow every method except TRACE', () => {
    for (const method of ['GET', 'POST', 'DELETE', 'PROPFIND', 'QUERY']) {
      expect(decision(method, '/anything/x')).toMatchObject({ action: 'pass' });
    }
    expect(decision('TRACE', '/anything/x')).toMatchObject({ action: 'refuse', status: 405 });
  });

  it('allows TRACE only where router.trace declares it', () => {
    expect(decision('TRACE', '/debug')).toMatchObject({ action: 'pass' });
  });
});

describe('decide: unmatched paths', () => {
  it('forwards a path no route matches by default', () => {
    expect(decision('DELETE', '/elsewhere')).toMatchObject({ action: 'pass', unmatched: true, allow: null });
  });

  it('answers 404 for a path no route matches when UNMATCHED=404', () => {
    expect(decision('GET', '/elsewhere', { UNMATCHED: '404' })).toMatchObject({ action: 'refuse', status: 404 });
  });
});

describe('decide: UNMATCHED_404, a 404 policy per subtree', () => {
  const policy = { UNMATCHED_404: '/api/*, /admin/*' };

  it('answers 404 for an undeclared path under a listed prefix, naming the prefix as its route', () => {
    expect(decision('DELETE', '/api/secret', policy)).toMatchObject({
      action: 'refuse',
      status: 404,
      routes: ['/api/*'],
      detail: 'no route matches /api/secret (under /api/*)',
    });
    expect(decision('GET', '/admin', policy)).toMatchObject({ action: 'refuse', status: 404, routes: ['/admin/*'] });
  });

  it('closes the prefix in any ASCII case, as case-folding origins read it', () => {
    expect(decision('GET', '/API/Secret', policy)).toMatchObject({ action: 'refuse', status: 404 });
  });

  it('keeps forwarding undeclared paths elsewhere, also those that only start with the same letters', () => {
    expect(decision('DELETE', '/elsewhere', policy)).toMatchObject({ action: 'pass', unmatched: true });
    expect(decision('GET', '/apix/1', policy)).toMatchObject({ action: 'pass', unmatched: true });
  });

  it('leaves declared paths under the prefix to their routes', () => {
    expect(decision('GET', '/api/items', policy)).toMatchObject({ action: 'pass', unmatched: false });
    expect(decision('PATCH', '/api/items', policy)).toMatchObject({ action: 'refuse', status: 405 });
  });
});

describe('decide: loops', () => {
  it('answers 508 to a request whose Via shows it passed through this guard (named by its host) before', () => {
    const via = '1.1 client-proxy, 1.1 guard.test (method-guard)';
    expect(decision('GET', '/hello', {}, { host: 'guard.test', via })).toMatchObject({ status: 508 });
    expect(decision('GET', '/hello', {}, { host: 'other.test', via })).toMatchObject({ action: 'pass' });
  });

  it('passes a request another guard forwarded: a chain, not a loop', () => {
    expect(decision('GET', '/hello', {}, { via: '1.1 staging.example (method-guard)' })).toMatchObject({
      action: 'pass',
    });
  });

  it('names itself by GUARD_ID instead of the host when set', () => {
    const via = { via: '1.1 guard.test (method-guard)' };
    expect(decision('GET', '/hello', { GUARD_ID: 'production' }, via)).toMatchObject({ action: 'pass' });
    const own = { via: '2 production (method-guard)' };
    expect(decision('GET', '/hello', { GUARD_ID: 'production' }, own)).toMatchObject({ status: 508 });
  });

  it('ignores a Via entry with this name that another kind of proxy wrote', () => {
    expect(decision('GET', '/hello', {}, { host: 'guard.test', via: '1.1 guard.test' })).toMatchObject({
      action: 'pass',
    });
  });

  it('ends a loop that never repeats a name after 10 guards', () => {
    const via = (n: number) => Array.from({ length: n }, (_, i) => `1.1 g${i} (method-guard)`).join(', ');
    expect(decision('GET', '/hello', {}, { via: via(9) })).toMatchObject({ action: 'pass' });
    expect(decision('GET', '/hello', {}, { via: via(10) })).toMatchObject({ status: 508 });
  });
});

describe('decide: Max-Forwards', () => {
  it('answers OPTIONS with Max-Forwards: 0 at the edge even where a route declares OPTIONS', () => {
    expect(decision('OPTIONS', '/custom-options', {}, { 'max-forwards': '0' })).toMatchObject({
      action: 'options',
    });
    expect(decision('OPTIONS', '/custom-options', {}, { 'max-forwards': '1' })).toMatchObject({ action: 'pass' });
  });

  it('reflects TRACE with Max-Forwards: 0 where TRACE is allowed, and refuses it where not', () => {
    expect(decision('TRACE', '/debug', {}, { 'max-forwards': '0' })).toMatchObject({ action: 'trace' });
    expect(decision('TRACE', '/hello', {}, { 'max-forwards': '0' })).toMatchObject({ status: 405 });
  });

  it('answers OPTIONS and TRACE with Max-Forwards: 0 on an unmatched path, OPTIONS without Allow', () => {
    expect(decision('OPTIONS', '/elsewhere', {}, { 'max-forwards': '0' })).toMatchObject({
      action: 'options',
      allow: null,
    });
    expect(decision('TRACE', '/elsewhere', {}, { 'max-forwards': '0' })).toMatchObject({ action: 'trace' });
  });

  it('ignores Max-Forwards on other methods and when it is not a number', () => {
    expect(decision('GET', '/hello', {}, { 'max-forwards': '0' })).toMatchObject({ action: 'pass' });
    expect(decision('OPTIONS', '/custom-options', {}, { 'max-forwards': 'zero' })).toMatchObject({
      action: 'pass',
    });
  });
});

describe('decide: GET and HEAD with content', () => {
  it.each([
    ['GET', { 'content-length': '8' }, 'a GET request cannot carry content (Content-Length: 8)'],
    ['HEAD', { 'transfer-encoding': 'chunked' }, 'a HEAD request cannot carry content (Transfer-Encoding: chunked)'],
  ])('refuses %s with framing %j as 400, naming it', (method, headers, detail) => {
    expect(decision(method, '/hello', {}, headers)).toEqual({ action: 'refuse', status: 400, path: '/hello', detail });
  });

  it('passes a GET with Content-Length: 0, which frames no content', () => {
    expect(decision('GET', '/hello', {}, { 'content-length': '0' })).toMatchObject({ action: 'pass' });
  });

  it('leaves a body on other methods to the method rules', () => {
    expect(decision('POST', '/api/items', {}, { 'content-length': '8' })).toMatchObject({ action: 'pass' });
  });
});

describe('decide: folding case when one route is spelled in capitals', () => {
  const capitals = Router().get('/projectsV2').get('/repos/:owner');
  function decideOn(method: string, path: string, profile: string): Decision {
    const config = parseConfig({ ORIGIN: 'http://127.0.0.1:9000', ORIGIN_PROFILE: profile });
    const url = new URL(path, 'http://guard.test');
    return decide(compileMethodMap(capitals.routes, config), { method, url, headers: new Headers() }, config);
  }

  it('refuses a lowercase spelling of that route where the origin folds case', () => {
    expect(decideOn('DELETE', '/projectsv2', 'express')).toMatchObject({
      status: 405,
      allow: ['GET', 'HEAD', 'OPTIONS'],
    });
  });

  it('refuses it too when a reading changes the path before it is folded (IIS drops a trailing dot)', () => {
    expect(decideOn('DELETE', '/projectsv2.', 'aspnet')).toMatchObject({
      status: 405,
      allow: ['GET', 'HEAD', 'OPTIONS'],
    });
  });

  it('refuses a lowercase path a custom RegExp matches once folded, though it writes no capital', () => {
    // `[!-_]` is every capital and no lowercase letter: Express, which folds case, runs this route for /admin.
    const custom = Router({ routes: [['GET', /^\/[!-_]dmin\/*$/, []]] });
    const config = parseConfig({ ORIGIN: 'http://127.0.0.1:9000', ORIGIN_PROFILE: 'express' });
    const url = new URL('/admin', 'http://guard.test');
    expect(
      decide(compileMethodMap(custom.routes, config), { method: 'DELETE', url, headers: new Headers() }, config),
    ).toMatchObject({ action: 'refuse', status: 405, allow: ['GET', 'HEAD', 'OPTIONS'] });
  });

  it('reads a path no such route matches once, exactly: its 405 names no folded reading', () => {
    expect(decideOn('DELETE', '/repos/octo', 'express')).toMatchObject({
      status: 405,
      detail: 'DELETE is not allowed on /repos/octo',
    });
  });
});
