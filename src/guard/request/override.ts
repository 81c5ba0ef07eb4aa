/**
 * Method-override smuggling ("HTTP verb tampering").
 *
 * Many origin frameworks (Express method-override, Rack, Symfony, Laravel,
 * ASP.NET, Google APIs) treat these as the real method. A guard that checks
 * only the request line would let `POST` + `X-HTTP-Method-Override: DELETE`
 * through to an origin that then runs DELETE. So every override is an effective
 * method too, in every spelling the origin would read as one.
 */

/** Override headers, lowercase (as Headers gives names), → how messages name them. */
export const OVERRIDE_HEADERS: Readonly<Record<string, string>> = {
  'x-http-method-override': 'X-HTTP-Method-Override',
  'x-http-method': 'X-HTTP-Method',
  'x-method-override': 'X-Method-Override',
};
export const OVERRIDE_PARAM = '_method';

/**
 * Headers some origins read as the request's path (IIS URL Rewrite and ARR,
 * Zend/Laminas, old Symfony: CVE-2018-14773). The guard strips them before
 * forwarding, in every spelling: the origin only ever routes on the path checked.
 */
const REWRITE_HEADERS: ReadonlySet<string> = new Set(['x-original-url', 'x-rewrite-url']);

/**
 * Header names are always compared the way CGI-style servers turn them into
 * `HTTP_*` variables (Puma, `php -S`, PHP-FPM, IIS, Werkzeug): any case, and `_`,
 * `-` (and any other non-alphanumeric) alike, so `X_HTTP_METHOD_OVERRIDE` counts.
 * Spellings some origins add:
 * - `php-query`: query parameter names the way PHP names variables
 *   (main/php_variables.c), so ` _method`, `.method`, `_method%00x`, `_method[]` count.
 * - `form-body`: `_method` in a POST form body, urlencoded, multipart or untyped
 *   (http/form-override.ts).
 * - `json-body`: `_method` in a POST JSON object (Laravel reads JSON input as its request bag).
 */
export type OverrideSpelling = 'php-query' | 'form-body' | 'json-body';

export interface Override {
  /** Where it came from, e.g. `X-HTTP-Method-Override` or `?_method`. */
  readonly source: string;
  /** The value as sent (trimmed). */
  readonly value: string;
}

/** `X_HTTP-Method.override` → `x-http-method-override`: what a CGI variable name cannot tell apart. */
const cgiName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '-');

/** Every name above contains one of these: most request headers are ruled out without folding. */
const MIGHT_BE = /method|url/;

/** The request's header names the guard looks at, in the spellings the request used. */
export interface GuardedHeaders {
  /** Read as a method override by some origin (OVERRIDE_HEADERS, any CGI spelling). */
  readonly overrides: readonly string[];
  /** Read as the path by some origin (REWRITE_HEADERS, any CGI spelling): never forwarded. */
  readonly rewrites: readonly string[];
}

const NONE: GuardedHeaders = { overrides: [], rewrites: [] };

/**
 * One pass over the request's header names, for both the override check and the
 * strip list: in workerd a pass over a Headers is the costliest thing a forward
 * does (~25k instructions over the names, ~45k over the entries, against ~2k
 * for one `get`; bench/instructions.ts), and a request almost never has one.
 */
export function guardedHeaders(headers: Headers): GuardedHeaders {
  let found: { overrides: string[]; rewrites: string[] } | null = null;
  for (const name of headers.keys()) {
    if (!MIGHT_BE.test(name)) continue;
    const folded = cgiName(name);
    const override = Object.hasOwn(OVERRIDE_HEADERS, folded);
    if (!override && !REWRITE_HEADERS.has(folded)) continue;
    found ??= { overrides: [], rewrites: [] };
    (override ? found.overrides : found.rewrites).push(name);
  }
  return found ?? NONE;
}

/** Decodes a form-encoded name or value (`+` is a space); a bad escape stays as it is, as PHP and Rack leave it. */
export function formDecode(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escaped) => {
      try {
        return decodeURIComponent(escaped);
      } catch {
        return escaped;
      }
    });
  }
}

/**
 * Is this (decoded) parameter name `_method` to PHP? Leading spaces are dropped,
 * the name ends at a NUL byte or at `[` (an array), and ` ` and `.` become `_`.
 */
export function phpNameIsOverride(name: string): boolean {
  let end = name.indexOf('\0');
  if (end === -1) end = name.length;
  let start = 0;
  while (name.charCodeAt(start) === 32) start++;
  const bracket = name.indexOf('[', start);
  if (bracket !== -1 && bracket < end && name.indexOf(']', bracket) !== -1) end = bracket;
  if (end - start !== OVERRIDE_PARAM.length) return false;
  return name.slice(start, end).replace(/[ .]/g, '_') === OVERRIDE_PARAM;
}

/** Name/value pairs of a form-encoded text; `;` separates too (Rack 2, Python < 3.9.2, Go < 1.17 split on it). */
export function* formPairs(text: string): Generator<readonly [name: string, value: string, raw: string]> {
  for (const raw of text.split(/[&;]/)) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    const name = formDecode(eq === -1 ? raw : raw.slice(0, eq));
    yield [name, eq === -1 ? '' : formDecode(raw.slice(eq + 1)), raw];
  }
}

/** Every override the request carries, in a fixed order. */
export function methodOverrides(
  headers: Headers,
  guarded: GuardedHeaders,
  search: string,
  spellings: ReadonlySet<OverrideSpelling>,
): Override[] {
  const found: Override[] = [];
  for (const name of guarded.overrides) {
    const source = OVERRIDE_HEADERS[name] ?? `header ${name}`;
    // Headers.get joins repeated fields with ", ": each one counts.
    for (const part of (headers.get(name) ?? '').split(',')) found.push({ source, value: part.trim() });
  }
  if (search === '') return found;
  if (spellings.has('php-query')) {
    for (const [name, value, raw] of formPairs(search.slice(1))) {
      if (phpNameIsOverride(name)) found.push({ source: `?${raw.split('=')[0]}`, value: value.trim() });
    }
  } else {
    for (const value of new URLSearchParams(search).getAll(OVERRIDE_PARAM)) {
      found.push({ source: `?${OVERRIDE_PARAM}`, value: value.trim() });
    }
  }
  return found;
}

/** The query string without any parameter PHP (or anyone) reads as `_method`, other bytes untouched. */
export function searchWithoutOverride(search: string): string {
  if (search === '') return '';
  const parts = search.slice(1).split(/([&;])/);
  let kept: string | null = null;
  for (let i = 0; i < parts.length; i += 2) {
    const raw = parts[i] as string;
    const eq = raw.indexOf('=');
    if (raw !== '' && phpNameIsOverride(formDecode(eq === -1 ? raw : raw.slice(0, eq)))) continue;
    kept = kept === null ? raw : `${kept}${parts[i - 1]}${raw}`;
  }
  return kept ? `?${kept}` : '';
}

/**
 * Request headers the origin must not see: the rewrite headers always, and with
 * STRIP_METHOD_OVERRIDE every override header, in every CGI spelling.
 */
export function headersToStrip(guarded: GuardedHeaders, stripOverrides: boolean): readonly string[] {
  return stripOverrides ? [...guarded.rewrites, ...guarded.overrides] : guarded.rewrites;
}
