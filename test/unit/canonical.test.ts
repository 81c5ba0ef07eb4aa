import { describe, expect, it } from 'vitest';
import { canonicalPath } from '../../src/guard/request/canonical.ts';

const loose = { strictTrailingSlash: false, caseInsensitive: false };
const canon = (path: string, options = loose) => canonicalPath(path, options);

describe('canonicalPath', () => {
  it('decodes percent-encoded unreserved characters', () => {
    expect(canon('/%61%7E%2D%2e%5F%30')).toMatchObject({ ok: true, path: '/a~-._0' });
  });

  it('keeps other encodings, with uppercase hex', () => {
    expect(canon('/caf%c3%a9/a%20b')).toMatchObject({ ok: true, path: '/caf%C3%A9/a%20b' });
  });

  it('merges runs of slashes', () => {
    expect(canon('//api///items//')).toMatchObject({ ok: true, path: '/api/items/', key: '/api/items' });
  });

  it('matches /a/ as /a but forwards the slash', () => {
    expect(canon('/a/')).toMatchObject({ path: '/a/', key: '/a' });
  });

  it('keeps the trailing slash in the key with STRICT_TRAILING_SLASH', () => {
    expect(canon('/a/', { ...loose, strictTrailingSlash: true })).toMatchObject({ key: '/a/' });
  });

  it('lowercases the key, not the forwarded path, with CASE_INSENSITIVE', () => {
    expect(canon('/Admin', { ...loose, caseInsensitive: true })).toMatchObject({ path: '/Admin', key: '/admin' });
  });

  it.each([
    ['/admin%2Freport', 'encoded path separator'],
    ['/admin%2freport', 'encoded path separator'],
    ['/admin%5Creport', 'encoded path separator'],
    ['/admin\\report', 'backslash'],
    ['/admin%00', 'encoded control character'],
    ['/admin%0a', 'encoded control character'],
    ['/admin%7F', 'encoded control character'],
    ['/admin%zz', 'invalid percent-encoding'],
    ['/admin%4', 'invalid percent-encoding'],
    ['/admin;x=1/report', '";" path parameter'],
    ['/a/%2e%2E/b', 'dot segment'],
  ])('refuses %s (%s)', (path, reason) => {
    const result = canon(path);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});
