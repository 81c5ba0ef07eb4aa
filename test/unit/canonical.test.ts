import { describe, expect, it } from 'vitest';
import { canonicalPath } from '../../src/guard/request/canonical.ts';

const canon = canonicalPath;

describe('canonicalPath', () => {
  it('decodes percent-encoded unreserved characters', () => {
    expect(canon('/%61%7E%2D%2e%5F%30')).toMatchObject({ ok: true, path: '/a~-._0' });
  });

  it('keeps other encodings, with uppercase hex', () => {
    expect(canon('/caf%c3%a9/a%20b')).toMatchObject({ ok: true, path: '/caf%C3%A9/a%20b' });
  });

  it('merges runs of slashes and keeps a trailing one', () => {
    expect(canon('//api///items//')).toMatchObject({ ok: true, path: '/api/items/' });
  });

  it('keeps case and ";" as sent: readings.ts says what origins make of them', () => {
    expect(canon('/Admin;jsessionid=1/x')).toEqual({ ok: true, path: '/Admin;jsessionid=1/x' });
  });

  it('accepts well-formed UTF-8 escapes, up to four bytes', () => {
    expect(canon('/caf%c3%a9/%F0%9F%98%80/%E2%82%AC')).toMatchObject({ ok: true });
  });

  it('accepts a lone %25 that is no escape when decoded again', () => {
    expect(canon('/100%25/a%25z')).toEqual({ ok: true, path: '/100%25/a%25z' });
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
    ['/a/%2e%2E/b', 'dot segment'],
    ['/admin%3Bx=1/report', 'encoded ";"'],
    ['/admin%3b', 'encoded ";"'],
    ['/admin%252F', 'double encoding'],
    ['/%2561dmin', 'double encoding'],
    ['/admin%25%34%31', 'double encoding'],
    ['/admin%25u002F', 'double encoding'],
    ['/%C0%AF', 'overlong UTF-8'],
    ['/%E0%80%AF', 'overlong UTF-8'],
    ['/%F0%80%80%AF', 'overlong UTF-8'],
    ['/%ED%A0%80', 'invalid or overlong UTF-8'],
    ['/%F4%90%80%80', 'invalid or overlong UTF-8'],
    ['/%FF', 'invalid or overlong UTF-8'],
    ['/%C3', 'invalid or overlong UTF-8'],
    ['/%C3x%A9', 'invalid or overlong UTF-8'],
    ['/%A9', 'invalid or overlong UTF-8'],
  ])('refuses %s (%s)', (path, reason) => {
    const result = canon(path);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});
