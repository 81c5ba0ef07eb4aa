import { describe, expect, it } from 'vitest';
import {
  errorMediaType,
  optionsResponse,
  problemResponse,
  withHeaders,
  withoutBody,
} from '../../src/guard/http/responses.ts';

const PROBLEM = 'application/problem+json';
const JSON_ = 'application/json';
const TEXT = 'text/plain';

describe('errorMediaType: content negotiation for error bodies', () => {
  const cases: [accept: string | null, type: string][] = [
    [null, TEXT],
    ['*/*', TEXT],
    ['text/plain', TEXT],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', TEXT],
    ['application/json', PROBLEM],
    ['application/problem+json', PROBLEM],
    ['APPLICATION/JSON', PROBLEM],
    ['application/json, text/plain, */*', PROBLEM],
    ['application/json, */*;q=0.5', PROBLEM],
    ['text/plain;q=0.5, application/json', PROBLEM],
    ['application/json;q=0.5, text/plain', TEXT],
    ['application/json;q=0, */*', TEXT],
    ['application/*', TEXT],
    ['application/vnd.api+json', TEXT],
    // RFC 9110 §12.5.1: text/plain's own q (0.1) overrides the wildcard's 1.
    ['*/*, text/plain;q=0.1, application/json;q=0.5', PROBLEM],
    ['application/json;q=abc', TEXT],
    // RFC 9110 §12.4.2: q=0 means "not acceptable", whatever else is listed.
    ['application/problem+json;q=0, application/json', JSON_],
    ['application/problem+json;q=0', TEXT],
    ['application/json, application/problem+json', PROBLEM],
    ['application/problem+json;q=0.5, application/json;q=0.5', PROBLEM],
    ['application/json, application/problem+json;q=0.9', JSON_],
  ];
  for (const [accept, type] of cases) {
    it(`chooses ${type} for Accept: ${accept ?? '(none)'}`, () => {
      expect(errorMediaType(accept)).toBe(type);
    });
  }
});

describe('problemResponse', () => {
  const problem405 = { status: 405, detail: 'POST is not allowed on /hello', allow: ['GET', 'HEAD', 'OPTIONS'] };

  it('writes RFC 9457 members and allow as an array when JSON is preferred', async () => {
    const response = problemResponse(problem405, 'application/json');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: 'POST is not allowed on /hello',
      allow: ['GET', 'HEAD', 'OPTIONS'],
    });
  });

  it('writes one text/plain line naming the allowed methods otherwise', async () => {
    const response = problemResponse(problem405, '*/*');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      '405 Method Not Allowed: POST is not allowed on /hello. Allowed: GET, HEAD, OPTIONS\n',
    );
  });

  it('sends the Allow header on a 405 whatever the body format', () => {
    expect(problemResponse(problem405, 'application/json').headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(problemResponse(problem405, null).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('leaves allow out of errors that are not 405', async () => {
    const response = problemResponse({ status: 502, detail: 'origin down' }, 'application/problem+json');
    expect(response.headers.has('allow')).toBe(false);
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'origin down',
    });
  });

  it('titles 508 as Loop Detected', async () => {
    expect(await problemResponse({ status: 508, detail: 'loop' }, null).text()).toBe('508 Loop Detected: loop\n');
  });

  it('marks error answers as not cacheable', () => {
    expect(problemResponse(problem405, null).headers.get('cache-control')).toBe('no-store');
  });

  it('answers problem details as application/json to a client that refuses problem+json with q=0', async () => {
    const response = problemResponse(problem405, 'application/problem+json;q=0, application/json');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ status: 405, allow: ['GET', 'HEAD', 'OPTIONS'] });
  });

  it('says Vary: Accept, since the body format was chosen from Accept (RFC 9110 §12.5.5)', () => {
    for (const accept of [null, '*/*', 'application/json'])
      expect(problemResponse(problem405, accept).headers.get('vary')).toBe('Accept');
  });

  it('forbids MIME sniffing of a body that may quote the request', () => {
    expect(problemResponse(problem405, null).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('optionsResponse', () => {
  it('answers 204 with Allow, no body and no Content-Length (RFC 9110 §8.6)', async () => {
    const response = optionsResponse(['GET', 'HEAD', 'OPTIONS']);
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.body).toBeNull();
  });

  it('forbids MIME sniffing like every answer of the guard', () => {
    expect(optionsResponse(['OPTIONS']).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps extra headers it is given', () => {
    expect(optionsResponse(['OPTIONS'], { vary: 'Origin' }).headers.get('vary')).toBe('Origin');
  });
});

describe('withoutBody: HEAD from a GET answer', () => {
  it('keeps status and headers and drops the body', async () => {
    const get = new Response('hello', { status: 201, headers: { 'x-edge': 'yes', 'content-length': '5' } });
    const head = withoutBody(get);
    expect(head.status).toBe(201);
    expect(head.headers.get('x-edge')).toBe('yes');
    expect(head.headers.get('content-length')).toBe('5');
    expect(head.body).toBeNull();
  });

  it('never reads the GET body: no Content-Length unless the handler set one', async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode('tick'));
      },
    });
    const head = withoutBody(new Response(stream));
    expect(head.headers.get('content-length')).toBeNull();
    expect(head.body).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulls).toBeLessThanOrEqual(1);
  });
});

describe('withHeaders: editing the headers of a response passed on', () => {
  it('edits mutable headers in place and returns the same response', () => {
    const response = new Response('edge');
    expect(withHeaders(response, (h) => h.set('x-added', '1'))).toBe(response);
    expect(response.headers.get('x-added')).toBe('1');
  });

  it('copies a response whose headers are immutable, keeping status, headers and the body stream', async () => {
    const redirect = Response.redirect('https://example.com/next', 307);
    const edited = withHeaders(redirect, (h) => h.set('x-added', '1'));
    expect(edited).not.toBe(redirect);
    expect(edited.status).toBe(307);
    expect(edited.headers.get('location')).toBe('https://example.com/next');
    expect(edited.headers.get('x-added')).toBe('1');
  });
});
