/**
 * Requests generated from the shared rules (test/origins/rules.ts) to prove the guard against real
 * origin frameworks.
 *
 * - HOSTILE: a method the rules forbid on a route, asked in every way some real origin might read
 *   as that route and method: path spellings (case, suffixes, slashes, `;`, encodings), method
 *   overrides in every spelling (headers as CGI folds them, query names as PHP mangles them, form
 *   bodies), rewrite headers. Whatever the guard answers, no origin may run a forbidden handler.
 * - LEGITIMATE: an allowed method, spelled the way a framework documents as the same resource.
 *   The guard must not refuse it with 405 (and the framework must read it as that route and method).
 */
import { type Rule, rules } from '../origins/rules.ts';

export interface Probe {
  readonly label: string;
  readonly method: string;
  /** Sent exactly as written on the request line. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LegitProbe extends Probe {
  /** The handler the framework runs for it, and the method it runs with. */
  readonly expect: { readonly route: string; readonly method: string };
}

const hex = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Rewrites the last segment: `(head, last)` → path, where path = `${head}/${last}`. A one-segment
 * path keeps its leading `/` in `head`, so a request target always starts with `/`.
 */
const lastSegment = (path: string, rewrite: (head: string, last: string) => string) => {
  const cut = path.lastIndexOf('/');
  return cut === 0
    ? `/${rewrite('', path.slice(1)).replace(/^\//, '')}`
    : rewrite(path.slice(0, cut), path.slice(cut + 1));
};

/** Path spellings of a canonical path, by name. Each is some origin's way to read it as that path. */
export const PATH_SPELLINGS: Readonly<Record<string, (path: string) => string>> = {
  // Case: Express, ASP.NET, IIS route case-insensitively by default.
  'upper case': (p) => p.toUpperCase(),
  'capitalised segments': (p) => p.replace(/\/([a-z])/g, (_, c: string) => `/${c.toUpperCase()}`),
  'long s (U+017F, upper-cases to S)': (p) => p.replace('s', '%C5%BF'),
  // Format suffixes: Rails `(.:format)`, Spring ≤ 5.2 suffix patterns.
  '.json suffix': (p) => `${p}.json`,
  '.xml suffix': (p) => `${p}.xml`,
  '.html suffix': (p) => `${p}.html`,
  '.JSON suffix': (p) => `${p}.JSON`,
  'double suffix .json.bak': (p) => `${p}.json.bak`,
  'trailing dot': (p) => `${p}.`,
  // Slashes.
  'trailing slash': (p) => `${p}/`,
  'two trailing slashes': (p) => `${p}//`,
  'doubled slashes': (p) => p.replace(/\//g, '//'),
  'leading double slash': (p) => `/${p}`,
  'backslash separators': (p) => `/${p.slice(1).replace(/\//g, '\\')}`,
  'encoded slash %2F': (p) => lastSegment(p, (head, last) => `${head}%2F${last}`),
  // Path parameters: Tomcat/Spring strip `;…`; an encoded `;` decodes to one after routing.
  ';params on the last segment': (p) => `${p};x=1`,
  ';params on the first segment': (p) => p.replace(/^(\/[^/]+)/, '$1;x=1'),
  'bare ; at the end': (p) => `${p};`,
  '%3B params': (p) => `${p}%3Bx=1`,
  '%3b params': (p) => `${p}%3bjsessionid=1`,
  // Dots, plain and encoded.
  'dot segments': (p) => `/x/..${p}`,
  '%2e%2e segments': (p) => `/x/%2e%2e${p}`,
  '/%2e at the end': (p) => `${p}/%2e`,
  '%2e suffix': (p) => `${p}%2ejson`,
  // Percent-encoding and double encoding.
  'encoded letters': (p) => lastSegment(p, (head, last) => `${head}/${[...last].map(hex).join('')}`),
  'lower-case hex encoding': (p) =>
    lastSegment(p, (head, last) => `${head}/${hex(last[0] ?? '').toLowerCase()}${last.slice(1)}`),
  'double-encoded letter': (p) =>
    lastSegment(p, (head, last) => `${head}/%25${hex(last[0] ?? '').slice(1)}${last.slice(1)}`),
  'double-encoded dot suffix': (p) => `${p}%252ejson`,
  'double-encoded slash': (p) => lastSegment(p, (head, last) => `${head}%252F${last}`),
  'overlong UTF-8 /': (p) => lastSegment(p, (head, last) => `${head}%C0%AF${last}`),
  'overlong UTF-8 . suffix': (p) => `${p}%C0%AEjson`,
  'invalid UTF-8 byte': (p) => `${p}%FF`,
  // Whitespace and control characters at a segment's edge.
  'space at the end': (p) => `${p}%20`,
  'space at a segment start': (p) => lastSegment(p, (head, last) => `${head}/%20${last}`),
  'tab at the end': (p) => `${p}%09`,
  'plus at the end': (p) => `${p}+`,
  'NUL at the end': (p) => `${p}%00`,
  fragment: (p) => `${p}#x`,
  'empty query': (p) => `${p}?`,
  // Combinations.
  'upper case .json/': (p) => `${p.toUpperCase()}.json/`,
  'capitalised .json': (p) => `${p.replace(/\/([a-z])/g, (_, c: string) => `/${c.toUpperCase()}`)}.json`,
  '.json/': (p) => `${p}.json/`,
  'doubled slashes .json': (p) => `${p.replace(/\//g, '//')}.json`,
  '.json;x=1': (p) => `${p}.json;x=1`,
};

/**
 * Override header names: every spelling a CGI-style server (Puma, php -S, Werkzeug, any WSGI/Rack
 * server) folds into HTTP_X_HTTP_METHOD_OVERRIDE, and the other names frameworks honour.
 */
export const OVERRIDE_HEADERS = [
  'X-HTTP-Method-Override',
  'x-http-method-override',
  'X-Http-Method-Override',
  'X_HTTP_METHOD_OVERRIDE',
  'x_http_method_override',
  'X-HTTP_Method-Override',
  'X-HTTP-Method',
  'X_HTTP_METHOD',
  'X-Method-Override',
  'X_METHOD_OVERRIDE',
] as const;

/** Query/form field names as sent (already encoded) that PHP, Rack or Express may read as `_method`. */
export const OVERRIDE_FIELDS = [
  '_method',
  '.method',
  '%2Emethod',
  '%20_method',
  '+_method',
  '_method%00',
  '_method%5B',
  '_method[',
  '_method%5B%5D',
  '%5Fmethod',
  '_METHOD',
  '_method%20',
] as const;

const BOUNDARY = 'method-guard-boundary';

function multipart(fields: readonly (readonly [string, string])[]): string {
  const parts = fields.map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}

/** Form bodies carrying `_method=<method>`, by name. */
const FORM_BODIES: Readonly<
  Record<string, (method: string) => { readonly headers: Record<string, string>; readonly body: string }>
> = {
  urlencoded: (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `_method=${m.toLowerCase()}`,
  }),
  'urlencoded, other fields first': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `authenticity_token=abc&article%5Btitle%5D=x&_method=${m}`,
  }),
  'urlencoded, mixed-case media type with charset': (m) => ({
    headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' },
    body: `_method=${m}`,
  }),
  // Rack reads a POST body without Content-Type as a form (Rack::Request#form_data?).
  'no content-type': (m) => ({ headers: {}, body: `_method=${m}` }),
  'urlencoded, PHP-mangled name .method': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `.method=${m}`,
  }),
  'urlencoded, PHP-mangled name +_method': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `+_method=${m}`,
  }),
  'urlencoded, encoded name %5Fmethod': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `%5Fmethod=${m}`,
  }),
  'urlencoded, repeated: allowed then forbidden': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `_method=GET&_method=${m}`,
  }),
  'urlencoded, repeated: forbidden then allowed': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `_method=${m}&_method=POST`,
  }),
  'urlencoded, percent-encoded value': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `_method=${[...m].map(hex).join('')}`,
  }),
  // Past any bounded look at the body: the origin parses all of it.
  'urlencoded, 70 KiB of fields first': (m) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `note=${'x'.repeat(70 * 1024)}&_method=${m}`,
  }),
  multipart: (m) => ({
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart([
      ['title', 'x'],
      ['_method', m.toLowerCase()],
    ]),
  }),
  'multipart, quoted boundary': (m) => ({
    headers: { 'content-type': `multipart/form-data; boundary="${BOUNDARY}"` },
    body: multipart([['_method', m]]),
  }),
  'multipart, 70 KiB file first': (m) => ({
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart([
      ['upload', 'x'.repeat(70 * 1024)],
      ['_method', m],
    ]),
  }),
  'multipart, PHP-mangled name .method': (m) => ({
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart([['.method', m]]),
  }),
};

const allowedMethods = (rule: Rule) => new Set(rule.allow);

/** The methods every origin handler answers to that the rules forbid on this route. */
export const forbiddenOn = (rule: Rule) => rules.methods.filter((m) => !allowedMethods(rule).has(m));

/** The forbidden method overrides aim at: DELETE where it is forbidden, else the first forbidden non-POST one. */
const overrideTarget = (rule: Rule) =>
  forbiddenOn(rule).find((m) => m === 'DELETE') ?? forbiddenOn(rule).find((m) => m !== 'POST');

/** The forbidden methods path spellings are tried with: POST (overrides' carrier) and one other. */
const spellingMethods = (rule: Rule) => forbiddenOn(rule).filter((m) => m === 'POST' || m === overrideTarget(rule));

function* hostileFor(rule: Rule): Generator<Probe> {
  const p = rule.sample;
  for (const method of forbiddenOn(rule)) yield { label: `${method} ${p}`, method, target: p, headers: {} };
  for (const method of spellingMethods(rule)) {
    for (const [name, spell] of Object.entries(PATH_SPELLINGS)) {
      yield { label: `${method} ${p} spelled with ${name}`, method, target: spell(p), headers: {} };
    }
  }
  const target = overrideTarget(rule);
  if (!target) return;
  // Overrides ride on POST (Rack, Symfony, method-override) or on any method (the Flask docs' pattern).
  for (const carrier of ['POST', 'GET']) {
    for (const header of OVERRIDE_HEADERS) {
      yield {
        label: `${carrier} ${p} + ${header}: ${target}`,
        method: carrier,
        target: p,
        headers: { [header]: target },
      };
    }
  }
  yield {
    label: `POST ${p} + X-HTTP-Method-Override: ${target.toLowerCase()}`,
    method: 'POST',
    target: p,
    headers: { 'X-HTTP-Method-Override': target.toLowerCase() },
  };
  yield {
    label: `POST ${p} + X-HTTP-Method-Override twice, allowed then forbidden`,
    method: 'POST',
    target: p,
    headers: { 'X-HTTP-Method-Override': `POST, ${target}` },
  };
  // Two spellings CGI folds into one variable: which one the origin keeps is the server's choice.
  for (const [first, second] of [
    ['X-HTTP-Method-Override', 'X_HTTP_METHOD_OVERRIDE'],
    ['X_HTTP_METHOD_OVERRIDE', 'X-HTTP-Method-Override'],
  ] as const) {
    yield {
      label: `POST ${p} + ${first}: POST and ${second}: ${target}`,
      method: 'POST',
      target: p,
      headers: { [first]: 'POST', [second]: target },
    };
  }
  for (const field of OVERRIDE_FIELDS) {
    yield { label: `POST ${p}?${field}=${target}`, method: 'POST', target: `${p}?${field}=${target}`, headers: {} };
  }
  yield {
    label: `POST ${p}?_method repeated, allowed then forbidden`,
    method: 'POST',
    target: `${p}?_method=POST&_method=${target}`,
    headers: {},
  };
  for (const [name, form] of Object.entries(FORM_BODIES)) {
    yield { label: `POST ${p} with a ${name} body _method=${target}`, method: 'POST', target: p, ...form(target) };
  }
  // Overrides on spellings only some origins read as this route.
  for (const name of ['upper case', '.json suffix', 'trailing slash', 'doubled slashes', '%3B params']) {
    const spelled = PATH_SPELLINGS[name]?.(p) ?? p;
    yield {
      label: `POST ${p} spelled with ${name} + X-HTTP-Method-Override: ${target}`,
      method: 'POST',
      target: spelled,
      headers: { 'X-HTTP-Method-Override': target },
    };
    yield {
      label: `POST ${p} spelled with ${name} + form body _method=${target}`,
      method: 'POST',
      target: spelled,
      ...FORM_BODIES.urlencoded?.(target),
    } as Probe;
  }
  // Rewrite headers: IIS-era origins route on them instead of the request line.
  for (const header of ['X-Original-URL', 'X-Rewrite-URL', 'X_ORIGINAL_URL']) {
    yield {
      label: `${target} /__unrouted + ${header}: ${p}`,
      method: target,
      target: '/__unrouted',
      headers: { [header]: p },
    };
  }
}

/** Every hostile probe, for every route. */
export const HOSTILE: readonly Probe[] = rules.routes.flatMap((rule) => [...hostileFor(rule)]);

type LegitSpelling = (rule: Rule, method: string) => LegitProbe | null;

const spelledPath =
  (name: string): LegitSpelling =>
  (rule, method) => {
    const target = PATH_SPELLINGS[name]?.(rule.sample) ?? rule.sample;
    return { label: `${method} ${target}`, method, target, headers: {}, expect: { route: rule.name, method } };
  };

/** POST carrying an override to another allowed method, where both are allowed. */
const overridden =
  (
    via: string,
    build: (method: string) => Pick<Probe, 'target' | 'headers' | 'body'>,
    carrier = 'POST',
  ): LegitSpelling =>
  (rule, method) => {
    if (method === carrier || !rule.allow.includes(carrier)) return null;
    const probe = build(method);
    const target = probe.target.replace('{path}', rule.sample);
    return {
      label: `${carrier} ${target} + ${via} ${method}`,
      method: carrier,
      ...probe,
      target,
      expect: { route: rule.name, method },
    };
  };

const headerOverride = (carrier = 'POST') =>
  overridden(
    'X-HTTP-Method-Override',
    (m) => ({ target: '{path}', headers: { 'X-HTTP-Method-Override': m } }),
    carrier,
  );
const queryOverride = overridden('?_method=', (m) => ({ target: `{path}?_method=${m}`, headers: {} }));
const formOverride = (name: string) =>
  overridden(`${name} body _method=`, (m) => ({ target: '{path}', ...FORM_BODIES[name]?.(m) }) as Probe);

/**
 * Per ORIGIN_PROFILE: spellings its framework documents as the same resource and method.
 * - express: case-insensitive, non-strict routing (Express `app.set('case sensitive routing')`,
 *   `strict routing`, both off by default); method-override's documented header/query/body getters.
 * - rails: the optional `(.:format)` of every route (Rails Routing guide, "Bound Parameters"),
 *   Journey's trailing-slash normalisation, Rack::MethodOverride's form `_method` and header.
 * - laravel: Symfony Request::getMethod() with enableHttpMethodParameterOverride (body or query
 *   `_method`) and X-HTTP-Method-Override.
 * - flask: the Flask docs' X-HTTP-Method-Override middleware, on any method.
 */
export const LEGIT_SPELLINGS: Readonly<Record<string, readonly LegitSpelling[]>> = {
  express: [
    spelledPath('upper case'),
    spelledPath('capitalised segments'),
    spelledPath('trailing slash'),
    headerOverride(),
    queryOverride,
    formOverride('urlencoded'),
  ],
  rails: [
    spelledPath('.json suffix'),
    spelledPath('.xml suffix'),
    spelledPath('.html suffix'),
    spelledPath('trailing slash'),
    headerOverride(),
    formOverride('urlencoded'),
    formOverride('urlencoded, other fields first'),
    formOverride('multipart'),
  ],
  laravel: [headerOverride(), queryOverride, formOverride('urlencoded'), formOverride('multipart')],
  flask: [headerOverride(), headerOverride('GET')],
};

/** The legitimate corpus of one profile: each spelling of each route with each allowed method. */
export function legitFor(profile: string): LegitProbe[] {
  const spellings = LEGIT_SPELLINGS[profile] ?? [];
  return rules.routes.flatMap((rule) =>
    rule.allow.flatMap((method) => spellings.map((spell) => spell(rule, method)).filter((p) => p !== null)),
  );
}
