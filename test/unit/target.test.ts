import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originOf, requestTarget } from '../../src/guard/request/target.ts';

/** Request URLs as a runtime serializes them, from anything a client might send. */
const requestUrls = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom('site.example', 'user:pw@site.example:8080', '127.0.0.1:9', '[::1]'),
    fc.string({ unit: fc.constantFrom('/', 'a', '%', '2', 'e', '?', '#', '.', ';', '&', '=', ' ', 'é', '\\') }),
  )
  .map(([scheme, authority, rest]) => new URL(`${scheme}://${authority}/${rest}`).href);

describe('the request target read from the serialized URL', () => {
  it('equals what URL#pathname and URL#search give, for any request URL', () => {
    fc.assert(
      fc.property(requestUrls, (href) => {
        const url = new URL(href);
        expect(requestTarget(href)).toEqual({ pathname: url.pathname, search: url.search });
        // The forward puts the canonical path right after it: scheme and authority, nothing of the path.
        expect(href.startsWith(originOf(href) + url.pathname)).toBe(true);
        expect(new URL(`${originOf(href)}/`).host).toBe(url.host);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads an empty query and a fragment as URL does', () => {
    expect(requestTarget('http://h/a?')).toEqual({ pathname: '/a', search: '' });
    expect(requestTarget('http://h/a?#x')).toEqual({ pathname: '/a', search: '' });
    expect(requestTarget('http://h/a#x?y')).toEqual({ pathname: '/a', search: '' });
    expect(requestTarget('http://h/?q=1#f')).toEqual({ pathname: '/', search: '?q=1' });
  });
});
