import { describe, expect, it } from 'vitest';
import { optionsResponse, prefersJson, problemResponse, withoutBody } from '../../src/guard/http/responses.ts';

describe('prefersJson: content negotiation for error bodies', () => {
  const cases: [accept: string | null, json: boolean][] = [
    [null, false],
    ['*/*', false],
    ['text/plain', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json', true],
    ['application/problem+json', true],
    ['APPLICATION/JSON', true],
    ['application/json, text/plain, */*', true],
    ['application/json, */*;q=0.5', true],
    ['text/plain;q=0.5, application/json', true],
    ['application/json;q=0.5, text/plain', false],
    ['application/json;q=0, */*', false],
    ['application/*', false],
    ['application/vnd.api+json', false],
    // RFC 9110 §12.5.1: text/plain's own q (0.1) overrides the wildcard's 1.
    ['*/*, text/plain;q=0.1, application/json;q=0.5', true],
    ['application/json;q=abc', false],
  ];
  for (const [accept, json] of cases) {
    it(`chooses ${json ? 'problem+json' : 'text/plain'} for Accept: ${accept ?? '(none)'}`, () => {
      expect(prefersJson(accept)).toBe(json);
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
});

describe('optionsResponse', () => {
  it('answers 204 with Allow, no body and no Content-Length (RFC 9110 §8.6)', async () => {
    const response = optionsResponse(['GET', 'HEAD', 'OPTIONS']);
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.body).toBeNull();
  });

  it('keeps extra headers it is given', () => {
    expect(optionsResponse(['OPTIONS'], { vary: 'Origin' }).headers.get('vary')).toBe('Origin');
  });
});

describe('withoutBody: HEAD from a GET answer', () => {
  it('keeps status and headers and drops the body', async () => {
    const get = new Response('hello', { status: 201, headers: { 'x-edge': 'yes', 'content-length': '5' } });
    const head = await withoutBody(get);
    expect(head.status).toBe(201);
    expect(head.headers.get('x-edge')).toBe('yes');
    expect(head.headers.get('content-length')).toBe('5');
    expect(head.body).toBeNull();
  });

  it('measures Content-Length when the GET answer streams without one', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('twelve bytes'));
        controller.close();
      },
    });
    const head = await withoutBody(new Response(stream));
    expect(head.headers.get('content-length')).toBe('12');
  });
});
