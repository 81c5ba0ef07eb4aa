/**
 * The requests the enforce tests throw at the fixture rules (test/fixtures/routes.ts),
 * as data: path spellings, ambiguous paths, case, method overrides in every spelling
 * the guard checks, every standard method on every kind of path, OPTIONS and CORS
 * preflights. The report-mode test replays all of it; none of these paths has an
 * edge handler, so without the guard every one of them reaches the origin.
 */
import type { RawRequest } from './http.ts';

export interface CorpusRequest extends RawRequest {
  readonly target: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'QUERY'];
const withBody = (method: string) => !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method);

const PATHS = [
  '/hello',
  '/articles/why-405',
  '/forms/contact',
  '/api/items',
  '/api/items/42',
  '/files/a/b/c.txt',
  '/files/uploads/cat.png',
  '/files/uploads/deep/cat.png',
  '/anything/x',
  '/dav/notes',
  '/nowhere',
];

const SPELLINGS = [
  '//hello',
  '/he%6C%6co',
  '/x/../hello',
  '/x/%2e%2E/hello',
  '/x\\..\\hello',
  '/hello/',
  '/hello//',
  '/api//items/%34%32',
  '/caf%c3%a9?q=%c3%a9',
  '/HELLO',
  '/hello?',
  '/hello?a=1&a=2&b',
];

const AMBIGUOUS = [
  '/api/items%2F42',
  '/api%2fitems/42',
  '/api/items%5C42',
  '/hello;jsessionid=1',
  '/api;x=1/items/42',
  '/hello%00',
  '/hello%0d%0a',
  '/hello%zz',
  '/unknown%2Fpath',
];

const BOUNDARY = 'corpus-boundary';
const FORM_BODIES: readonly (readonly [string, string])[] = [
  ['application/x-www-form-urlencoded', 'name=a&_method=DELETE'],
  ['application/x-www-form-urlencoded', '.method=PUT'],
  ['application/x-www-form-urlencoded', 'name=a&_method=post'],
  [
    `multipart/form-data; boundary=${BOUNDARY}`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_method"\r\n\r\nPATCH\r\n--${BOUNDARY}--\r\n`,
  ],
  ['application/json', '{"_method":"DELETE"}'],
  // Past the guard's 64 KiB look: enforce answers 413, report forwards it whole.
  ['application/x-www-form-urlencoded', `pad=${'x'.repeat(70 * 1024)}&_method=DELETE`],
];

const OVERRIDES: CorpusRequest[] = [
  ...['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'].flatMap((header) => [
    { target: '/forms/contact', method: 'POST', headers: { [header]: 'DELETE' }, body: 'x' },
    { target: '/api/items/7', method: 'PUT', headers: { [header]: 'DELETE' }, body: 'x' },
    { target: '/hello', headers: { [header]: 'DEL ETE' } },
  ]),
  { target: '/forms/contact?_method=DELETE', method: 'POST', body: 'x' },
  { target: '/forms/contact?a=1&_method=DELETE&b=2', method: 'POST', body: 'x' },
  { target: '/nowhere?_method=PUT', method: 'POST', body: 'x' },
  // Form bodies (Rack::MethodOverride, Laravel, method-override): read by the guard, forwarded unchanged.
  ...FORM_BODIES.map(([type, body]) => ({
    target: '/forms/contact',
    method: 'POST',
    headers: { 'content-type': type },
    body,
  })),
];

const APP = 'https://app.example';
const PREFLIGHTS: CorpusRequest[] = [
  ['/api/items/7', APP, 'PUT'],
  ['/api/items', APP, 'DELETE'],
  ['/api/items', 'https://evil.example', 'POST'],
  ['/nowhere', APP, 'PUT'],
].map(([target, origin, method]) => ({
  target: target as string,
  method: 'OPTIONS',
  headers: { origin: origin as string, 'access-control-request-method': method as string },
}));

export const HOSTILE_CORPUS: readonly CorpusRequest[] = [
  ...PATHS.flatMap((target) =>
    METHODS.map((method) => ({ target, method, body: withBody(method) ? 'payload' : undefined })),
  ),
  ...SPELLINGS.flatMap((target) => [{ target }, { target, method: 'POST', body: 'x' }]),
  ...AMBIGUOUS.flatMap((target) => [{ target }, { target, method: 'DELETE', body: 'x' }]),
  ...OVERRIDES,
  ...PREFLIGHTS,
  { target: '/api/items', method: 'POST', headers: { origin: APP, 'content-type': 'text/plain' }, body: 'hi' },
];
