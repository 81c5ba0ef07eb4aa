import { type IRequest, Router } from 'itty-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingOrigin, startRecordingOrigin } from '../../scripts/recording-origin.ts';
import { analyzeRouter } from '../../src/cli/route-table.ts';
import { createGuard, under } from '../../src/guard/index.ts';

const requireAuth = (request: IRequest) =>
  request.headers.get('authorization') === 'Bearer ok' ? undefined : new Response('who are you?', { status: 401 });

/** What itty answers for `path` with `under('/admin', requireAuth)` in `before`, without a guard. */
async function itty(path: string, headers: HeadersInit = {}) {
  const router = Router({ before: [under('/admin', requireAuth)] }).all('*', () => new Response('through'));
  const response = (await router.fetch(new Request(`http://site.test${path}`, { headers }))) as Response;
  return response.status;
}

describe('under(prefix, handler): middleware on a subtree', () => {
  it.each(['/admin', '/admin/', '/admin/users', '/admin/users/7?x=1'])('runs the handler for %s', async (path) => {
    expect(await itty(path)).toBe(401);
    expect(await itty(path, { authorization: 'Bearer ok' })).toBe(200);
  });

  it.each(['/ADMIN/users', '/Admin', '/%61dmin/users', '//admin/users'])(
    'runs it for %s too, a spelling an origin may read as /admin',
    async (path) => {
      expect(await itty(path)).toBe(401);
    },
  );

  it('runs it for a path with no single reading (when in doubt, check)', async () => {
    expect(await itty('/admin%2Fusers')).toBe(401);
  });

  it.each(['/', '/adminx', '/public/admin', '/api/admin'])('lets %s through untouched', async (path) => {
    expect(await itty(path)).toBe(200);
  });

  it('takes the subtree written as itty writes it, /admin/*', async () => {
    const router = Router({ before: [under('/admin/*', requireAuth)] });
    expect(((await router.fetch(new Request('http://site.test/admin/x'))) as Response).status).toBe(401);
  });

  it.each(['admin', '/admin/:id', '/admin/*/x', '/a dmin', 'https://x/admin'])(
    'throws when the rules load for the prefix %j',
    (prefix) => {
      expect(() => under(prefix, requireAuth)).toThrow(
        `method-guard: under(${JSON.stringify(prefix)}): expected a path prefix`,
      );
    },
  );
});

describe('under in front of the guard', () => {
  let origin: RecordingOrigin;
  beforeAll(async () => {
    origin = await startRecordingOrigin();
  });
  afterAll(() => origin.close());

  const rules = () =>
    Router({ before: [under('/admin', requireAuth)] })
      .get('/admin/users')
      .post('/admin/users')
      .get('/public');
  const env = () => ({ ORIGIN: origin.url });

  it('declares no method: the guard still answers 405 with the routes’ Allow under the prefix', async () => {
    const response = await createGuard(rules()).fetch(
      new Request('http://site.test/admin/users', { method: 'DELETE' }),
      env(),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('runs on an allowed method: no credentials, no forward', async () => {
    const before = origin.requests.length;
    const response = await createGuard(rules()).fetch(new Request('http://site.test/admin/users'), env());
    expect(response.status).toBe(401);
    expect(origin.requests.length).toBe(before);
  });

  it('lets an authorised request through to the origin, and leaves other paths alone', async () => {
    const guard = createGuard(rules());
    const authorised = new Request('http://site.test/admin/users', { headers: { authorization: 'Bearer ok' } });
    expect((await guard.fetch(authorised, env())).status).toBe(200);
    expect((await guard.fetch(new Request('http://site.test/public'), env())).status).toBe(200);
    expect(origin.requests.slice(-2).map((r) => r.url)).toEqual(['/admin/users', '/public']);
  });

  it('leaves the route lint nothing to say, where all() would be an all-subtree error', () => {
    expect(analyzeRouter(rules()).findings).toEqual([]);
    const idiom = analyzeRouter(Router().all('/admin/*', requireAuth).get('/admin/users'));
    expect(idiom.findings[0]?.message).toContain("Router({ before: [under('/admin', handler)] })");
  });
});
