/**
 * Origin readings through workerd: spellings other origins read as a declared
 * path are refused (or let through) according to ORIGIN_PROFILE, and the
 * recording origin proves what reached it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { type RawRequest, send } from '../support/http.ts';

/** A Rails-style table: `resources :photos` (new before :id) and a settings page. */
const ROUTES = JSON.stringify([
  ['GET', '/account/settings'],
  ['GET', '/photos'],
  ['POST', '/photos'],
  ['GET', '/photos/new'],
  ['POST', '/photos/new'],
  ['GET', '/photos/:id'],
  ['PATCH', '/photos/:id'],
  ['POST', '/forms/contact'],
]);

const servers: Record<string, GuardServer> = {};
beforeAll(async () => {
  const entries = await Promise.all(
    (
      [
        ['any', {}],
        ['strict', { ORIGIN_PROFILE: 'strict' }],
        ['rails', { ORIGIN_PROFILE: 'rails' }],
        ['express', { ORIGIN_PROFILE: 'express' }],
        ['any-strict-slash', { STRICT_TRAILING_SLASH: 'true' }],
        ['strip', { STRIP_METHOD_OVERRIDE: 'true', ORIGIN_PROFILE: 'laravel' }],
      ] as const
    ).map(async ([name, vars]) => [name, await startGuard(vars, 'dynamic')] as const),
  );
  for (const [name, server] of entries) servers[name] = server;
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));

async function through(profile: string, target: string, request: RawRequest = {}) {
  const server = servers[profile] as GuardServer;
  const before = server.origin.requests.length;
  const response = await send(server.url, target, {
    ...request,
    headers: { 'x-test-routes': ROUTES, ...request.headers },
  });
  return {
    status: response.status,
    body: response.body,
    allow: response.headers.allow,
    seen: server.origin.requests.slice(before),
  };
}

describe('readings: the default profile (any) refuses what some origin reads as a forbidden method', () => {
  it.each([
    ['DELETE', '/Account/Settings', 'Express, ASP.NET: case-insensitive'],
    ['PATCH', '/account/settings.json', 'Rails (.:format), Spring suffix match'],
    ['DELETE', '/account/settings;x=1', 'Tomcat/Spring ;params'],
    ['DELETE', '/account/settings%20', 'Spring trimmed tokens'],
    ['DELETE', '/account/settings.', 'IIS: Windows names'],
    ['DELETE', '/ACCOUNT/settings.json/', 'case, format and slash at once'],
  ])('%s %s (%s) gets 405, the origin sees nothing', async (method, target) => {
    const { status, allow, seen } = await through('any', target, { method, body: 'x' });
    expect(status).toBe(405);
    expect(allow).toBe('GET, HEAD, OPTIONS');
    expect(seen).toHaveLength(0);
  });

  it('forwards the allowed method on such a spelling, on the path as sent', async () => {
    const { status, seen } = await through('any', '/Account/Settings.json');
    expect(status).toBe(200);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /Account/Settings.json']);
  });

  it('refuses DELETE /account/settings/ with STRICT_TRAILING_SLASH, as Express and Rails read /account/settings', async () => {
    const { status, seen } = await through('any-strict-slash', '/account/settings/', { method: 'DELETE' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('names the reading that refused in the problem detail', async () => {
    const { body } = await through('any', '/account/settings.json', { method: 'PATCH' });
    expect(body).toContain('/account/settings.json or /account/settings');
  });
});

describe('readings: ORIGIN_PROFILE=strict reads the exact path only', () => {
  it('forwards DELETE /Account/Settings as an unmatched path', async () => {
    const { status, seen } = await through('strict', '/Account/Settings', { method: 'DELETE' });
    expect(status).toBe(200);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /Account/Settings']);
  });
});

describe('readings: ORIGIN_PROFILE=rails lets through what Rails documents as the same resource', () => {
  it('forwards POST /photos/new.json, which Rails routes to /photos/new (format json)', async () => {
    const { status, seen } = await through('rails', '/photos/new.json', { method: 'POST', body: '{}' });
    expect(status).toBe(200);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /photos/new.json']);
  });

  it('refuses POST /photos/new.json under any, where /photos/:id (GET, PATCH) also reads it', async () => {
    const { status, allow } = await through('any', '/photos/new.json', { method: 'POST', body: '{}' });
    expect(status).toBe(405);
    expect(allow).toBe('GET, HEAD, PATCH, OPTIONS');
  });

  it('still refuses PATCH /account/settings.json', async () => {
    expect((await through('rails', '/account/settings.json', { method: 'PATCH' })).status).toBe(405);
  });

  it('does not fold case: Rails routes are case-sensitive', async () => {
    expect((await through('rails', '/Account/Settings', { method: 'DELETE' })).status).toBe(200);
  });
});

describe('readings: spellings no origin reads safely get 400 under every profile', () => {
  it.each(['any', 'strict', 'rails'])('%s: %%3B, %%25XX, overlong UTF-8, ;-hidden dot segments', async (profile) => {
    for (const target of ['/account/settings%3Bx', '/account%252Fsettings', '/%C0%AFaccount', '/a/..%3B/account']) {
      const { status, body, seen } = await through(profile, target, { method: 'DELETE' });
      expect(status, target).toBe(400);
      expect(body, target).toContain('ambiguous path refused');
      expect(seen).toHaveLength(0);
    }
  });

  it('refuses /x/..;/account/settings where a ;params reading would resolve the dot segment', async () => {
    const { status, body } = await through('any', '/x/..;/account/settings', { method: 'DELETE' });
    expect(status).toBe(400);
    expect(body).toContain('dot segment');
  });
});

describe('overrides in every spelling', () => {
  it.each([
    [{ X_HTTP_METHOD_OVERRIDE: 'DELETE' }, '/forms/contact'],
    [{ x_http_method_override: 'delete' }, '/forms/contact'],
    [{ 'X-Http-Method_Override': 'DELETE' }, '/forms/contact'],
    [{ X_METHOD_OVERRIDE: 'PUT' }, '/forms/contact'],
  ])('POST with header %o is refused 405 under any', async (headers, target) => {
    const { status, seen } = await through('any', target, { method: 'POST', headers, body: 'x' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it.each([
    '?.method=DELETE',
    '?%20_method=DELETE',
    '?+_method=DELETE',
    '?_method%00=DELETE',
    '?_method%00x=DELETE',
    '?_method[]=DELETE',
    '?_method[a]=DELETE',
    '?a=1;_method=DELETE',
    '?%5Fmethod=DELETE',
  ])('POST /forms/contact%s is refused 405 under any', async (query) => {
    const { status, seen } = await through('any', `/forms/contact${query}`, { method: 'POST', body: 'x' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('checks an override on a path only a reading matches', async () => {
    const { status } = await through('any', '/account/settings.json', {
      headers: { 'X-HTTP-Method-Override': 'DELETE' },
    });
    expect(status).toBe(405);
  });

  it('strips every spelling it checks with STRIP_METHOD_OVERRIDE, and forwards', async () => {
    const { status, seen } = await through(
      'strip',
      '/forms/contact?a=1&.method=DELETE&%20_method=PUT;_method[]=X&b=2',
      {
        method: 'POST',
        headers: { X_HTTP_METHOD_OVERRIDE: 'DELETE', 'X-Method-Override': 'PUT', x_http_method: 'PATCH' },
        body: 'x',
      },
    );
    expect(status).toBe(200);
    expect(seen[0]?.url).toBe('/forms/contact?a=1&b=2');
    const names = Object.keys(seen[0]?.headers ?? {});
    expect(names.filter((h) => /method/i.test(h))).toEqual([]);
  });
});

describe('rewrite headers', () => {
  it.each(['X-Original-URL', 'X-Rewrite-URL', 'X_Original_URL'])('never reach the origin: %s', async (header) => {
    const { status, seen } = await through('strict', '/photos', { headers: { [header]: '/admin/delete-all' } });
    expect(status).toBe(200);
    expect(Object.keys(seen[0]?.headers ?? {}).filter((h) => /original|rewrite/i.test(h))).toEqual([]);
  });
});

describe('body overrides: a POST form may not carry a forbidden _method', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const sha = (body: string) => createHash('sha256').update(body).digest('hex');

  it.each([
    ['any', FORM, 'authenticity_token=x&_method=delete'],
    ['rails', FORM, '_method=DELETE'],
    ['rails', {}, '_method=delete'],
    ['any', { 'content-type': 'Application/X-WWW-Form-URLencoded; charset=utf-8' }, 'a=1&_method=patch'],
    ['any', FORM, '_method=GET&_method=DELETE'],
    ['any', FORM, '.method=DELETE'],
    ['any', FORM, '+_method=DELETE'],
    ['any', FORM, '%5Fmethod=DELETE'],
    ['any', { 'content-type': 'multipart/form-data; boundary=XyZ' }, multipart('XyZ', '_method', 'DELETE')],
    ['any', { 'content-type': 'multipart/form-data; boundary="q q"' }, multipart('q q', '.method', 'DELETE')],
    ['any', { 'content-type': 'application/json' }, '{"_method":"DELETE"}'],
  ])('%s: POST /forms/contact with %o %j gets 405, the origin sees nothing', async (profile, headers, body) => {
    const { status, allow, seen } = await through(profile, '/forms/contact', { method: 'POST', headers, body });
    expect(status).toBe(405);
    expect(allow).toBe('POST, OPTIONS');
    expect(seen).toHaveLength(0);
  });

  it('forwards a form whose _method the path allows, byte for byte', async () => {
    const body = 'name=a%20b&_method=post&x=%C3%A9';
    const { status, seen } = await through('any', '/forms/contact', { method: 'POST', headers: FORM, body });
    expect(status).toBe(200);
    expect(seen.map((r) => [r.bodyBytes, r.bodySha256])).toEqual([[Buffer.byteLength(body), sha(body)]]);
  });

  it('forwards an ordinary form unchanged, and a multipart upload under the limit', async () => {
    const upload = multipart('b0undary', 'file"; filename="a.bin', 'z'.repeat(30_000));
    for (const [headers, body] of [
      [FORM, 'message=hello&to=me'],
      [{ 'content-type': 'multipart/form-data; boundary=b0undary' }, upload],
    ] as const) {
      const { status, seen } = await through('any', '/forms/contact', { method: 'POST', headers, body });
      expect(status).toBe(200);
      expect(seen[0]?.bodySha256).toBe(sha(body));
    }
  });

  it('answers 400 to a body _method that is not a method name', async () => {
    const { status, body } = await through('any', '/forms/contact', {
      method: 'POST',
      headers: FORM,
      body: '_method=DEL%20ETE',
    });
    expect(status).toBe(400);
    expect(body).toContain('not a method name');
  });

  it('refuses a form over 64 KiB with 413 where some method is forbidden, unread by the origin', async () => {
    const body = `a=${'x'.repeat(64 * 1024)}`;
    const {
      status,
      body: answer,
      seen,
    } = await through('any', '/forms/contact', { method: 'POST', headers: FORM, body });
    expect(status).toBe(413);
    expect(answer).toContain('65536');
    expect(seen).toHaveLength(0);
  });

  it('leaves bodies alone under a profile whose origin ignores body overrides', async () => {
    const body = '_method=DELETE';
    const { status, seen } = await through('strict', '/forms/contact', { method: 'POST', headers: FORM, body });
    expect(status).toBe(200);
    expect(seen[0]?.bodySha256).toBe(sha(body));
  });

  it('leaves a JSON body alone under rails, which does not read JSON _method', async () => {
    const body = '{"_method":"DELETE"}';
    const headers = { 'content-type': 'application/json' };
    expect((await through('rails', '/forms/contact', { method: 'POST', headers, body })).status).toBe(200);
  });
});

function multipart(boundary: string, name: string, value: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--${boundary}--\r\n`;
}
