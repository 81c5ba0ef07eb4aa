/**
 * Worker settings (wrangler.toml `[vars]`, `--var`, dashboard), parsed and
 * validated once into a typed value. A bad value is a ConfigError naming the
 * setting and what it accepts, never a stack trace from deep inside a request.
 */
import { isMethodToken } from './map/methods.ts';
import { type OriginProfile, originProfile, PROFILE_NAMES, type ProfileName } from './request/profiles.ts';
import { isSubtree } from './request/subtree.ts';

/** The values of the settings that take one word; the messages quote the same lists. */
const MODES = ['enforce', 'report'] as const;
const UNMATCHED_POLICIES = ['forward', '404'] as const;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'off'] as const;

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(', ');
const ONE_OF = 'one of ';
const FLAG = '"true" or "false"';

export type UnmatchedPolicy = (typeof UNMATCHED_POLICIES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `report`: forward everything as it arrived and log what `enforce` would have refused (docs/rollout.md). */
export type Mode = (typeof MODES)[number];

export interface CorsConfig {
  /** Allowed page origins; `*` allows any. */
  readonly allowOrigins: '*' | ReadonlySet<string>;
  /** Request headers a page may send; null echoes what the preflight asks for. */
  readonly allowHeaders: readonly string[] | null;
  readonly maxAge: number;
  readonly allowCredentials: boolean;
}

export interface Config {
  readonly mode: Mode;
  /** Where allowed requests go; null forwards to the request's own URL (zone route). */
  readonly origin: URL | null;
  readonly unmatched: UnmatchedPolicy;
  /** Prefixes as written (`/api/*`) under which a path no route matches gets 404, whatever `unmatched` says. */
  readonly unmatched404: readonly string[];
  readonly strictTrailingSlash: boolean;
  readonly caseInsensitive: boolean;
  readonly stripMethodOverride: boolean;
  /** How the origin reads paths and overrides (ORIGIN_PROFILE, with CASE_INSENSITIVE and STRICT_TRAILING_SLASH). */
  readonly originProfile: OriginProfile;
  /** null: nothing CORS is added. */
  readonly cors: CorsConfig | null;
  readonly logLevel: LogLevel;
  /** The fraction of refusal (info) lines written; counters still count every request. */
  readonly logSample: number;
  /** The name this guard gives itself in Via (http/loop.ts); null: the host it was addressed as. */
  readonly guardId: string | null;
}

/**
 * Every setting, one row each: the Worker variable, the `createGuard` option that
 * sets the same thing, its default (as the variable is written), and what it
 * accepts (the text a ConfigError and `method-guard check` print). To add a
 * setting: add a row here, a field to GuardOptions, and read it in parseConfig.
 */
export const SETTINGS = [
  { variable: 'MODE', option: 'mode', default: 'enforce', accepts: ONE_OF + quoted(MODES) },
  {
    variable: 'ORIGIN',
    option: 'origin',
    default: '',
    accepts:
      'an http(s) origin such as "http://127.0.0.1:9000" (no path, query or fragment), or "" to forward to the request URL',
  },
  { variable: 'UNMATCHED', option: 'unmatched', default: 'forward', accepts: ONE_OF + quoted(UNMATCHED_POLICIES) },
  {
    variable: 'UNMATCHED_404',
    option: 'unmatched404',
    default: '',
    accepts: '"" or a comma list of path prefixes ending in "/*", such as "/api/*, /admin/*"',
  },
  { variable: 'STRICT_TRAILING_SLASH', option: 'strictTrailingSlash', default: 'false', accepts: FLAG },
  { variable: 'CASE_INSENSITIVE', option: 'caseInsensitive', default: 'false', accepts: FLAG },
  { variable: 'STRIP_METHOD_OVERRIDE', option: 'stripMethodOverride', default: 'false', accepts: FLAG },
  {
    variable: 'ORIGIN_PROFILE',
    option: 'originProfile',
    default: 'any',
    accepts: `one or a comma list of ${quoted(PROFILE_NAMES)} (docs/readings.md)`,
  },
  {
    variable: 'CORS_ALLOW_ORIGINS',
    option: 'cors.allowOrigins',
    default: '',
    accepts: '"*" or a comma list of origins such as "https://app.example.com"',
  },
  {
    variable: 'CORS_ALLOW_HEADERS',
    option: 'cors.allowHeaders',
    default: '',
    accepts:
      '"" (echo what the preflight asks for) or a comma list of header names such as "content-type, authorization"',
  },
  { variable: 'CORS_MAX_AGE', option: 'cors.maxAge', default: '600', accepts: 'a whole number of seconds, e.g. "600"' },
  {
    variable: 'CORS_ALLOW_CREDENTIALS',
    option: 'cors.allowCredentials',
    default: 'false',
    accepts: FLAG,
  },
  {
    variable: 'LOG_LEVEL',
    option: 'logLevel',
    default: 'info',
    accepts: ONE_OF + quoted(LOG_LEVELS),
  },
  {
    variable: 'LOG_SAMPLE',
    option: 'logSample',
    default: '1',
    accepts: 'a fraction from 0 to 1, e.g. "0.01" for one refusal line in a hundred',
  },
  {
    variable: 'GUARD_ID',
    option: 'guardId',
    default: '',
    accepts: '"" (the host the guard was addressed as) or a name such as "edge-staging" (letters, digits, "._-:")',
  },
] as const satisfies readonly SettingRow[];

export interface SettingRow {
  /** The Worker variable: wrangler.toml `[vars]`, `wrangler dev --var`, the dashboard. */
  readonly variable: string;
  /** The same setting as a `createGuard` option: a dotted path into GuardOptions. */
  readonly option: string;
  /** The default, written as the variable would be. */
  readonly default: string;
  /** What the setting accepts, in the words a ConfigError uses. */
  readonly accepts: string;
}

export type Setting = (typeof SETTINGS)[number]['variable'];

/** The settings this Worker reads, with their defaults as wrangler.toml ships them. */
export const DEFAULTS = Object.fromEntries(SETTINGS.map((row) => [row.variable, row.default])) as {
  readonly [S in Setting]: Extract<(typeof SETTINGS)[number], { variable: S }>['default'];
};

/**
 * `createGuard(router, options)`: the Worker variables, typed, for code.
 * Precedence: a variable with a non-empty value wins over the option, so each
 * wrangler environment (or `wrangler dev --var`) can still change what the code
 * sets; an absent or empty variable leaves the option in force. Options are
 * validated exactly like variables, when `createGuard` runs.
 */
export interface GuardOptions {
  /**
   * `"enforce"` (default): refuse what the rules forbid. `"report"`: forward every
   * request as it arrived and only log (and count) what enforce would have refused
   * or answered itself; see docs/rollout.md. Variable `MODE`.
   */
  readonly mode?: Mode;
  /**
   * Where allowed requests that no handler answers are forwarded, e.g.
   * `"https://origin.example.com"` (no path). Unset: the request's own URL, i.e.
   * the zone's origin when the Worker runs on a route. Variable `ORIGIN`.
   */
  readonly origin?: string | URL;
  /** Paths no route matches: `"forward"` (default) or `"404"`. Variable `UNMATCHED`. */
  readonly unmatched?: UnmatchedPolicy;
  /**
   * Path prefixes, each ending in `/*` (e.g. `["/api/*", "/admin/*"]`), under which a
   * path no route matches is answered 404 at the edge while the rest of the site
   * follows `unmatched`. Variable `UNMATCHED_404` (a comma list).
   */
  readonly unmatched404?: string | readonly string[];
  /** `true`: `/a/` is a different path from `/a` (default `false`). Variable `STRICT_TRAILING_SLASH`. */
  readonly strictTrailingSlash?: boolean;
  /** `true`: match paths case-insensitively, for origins that read them so. Variable `CASE_INSENSITIVE`. */
  readonly caseInsensitive?: boolean;
  /**
   * `true`: remove `X-HTTP-Method-Override` & co. (and `?_method`) before forwarding,
   * instead of checking them against the method map. Variable `STRIP_METHOD_OVERRIDE`.
   */
  readonly stripMethodOverride?: boolean;
  /**
   * How the origin reads paths and method overrides (docs/readings.md): `"any"`
   * (default: every profile at once), `"strict"`, `"express"`, `"rails"`, `"laravel"`,
   * `"spring"`, `"django"`, `"flask"`, `"aspnet"`, `"nginx"`, `"go"`, or several for a
   * stack (`["nginx", "rails"]`). Variable `ORIGIN_PROFILE`.
   */
  readonly originProfile?: ProfileName | readonly ProfileName[];
  /** CORS answered from the method map; off while `allowOrigins` is unset or empty. */
  readonly cors?: {
    /** `"*"` or the page origins allowed, e.g. `["https://app.example.com"]`. Variable `CORS_ALLOW_ORIGINS`. */
    readonly allowOrigins?: '*' | string | readonly string[];
    /** Request headers a page may send; unset echoes what the preflight asks for. Variable `CORS_ALLOW_HEADERS`. */
    readonly allowHeaders?: string | readonly string[];
    /** Seconds a browser may cache a preflight (default 600). Variable `CORS_MAX_AGE`. */
    readonly maxAge?: number;
    /** `true`: pages may send cookies; not with `allowOrigins: "*"`. Variable `CORS_ALLOW_CREDENTIALS`. */
    readonly allowCredentials?: boolean;
  };
  /** `"debug"` (every forward too), `"info"` (default: refusals), `"warn"`, `"error"`, `"off"`. Variable `LOG_LEVEL`. */
  readonly logLevel?: LogLevel;
  /**
   * The fraction of refusal lines (405, 400, 404, refused preflights, report mode's
   * `would-*` lines) written, e.g. `0.01` under a 405 flood; default `1`. Errors are
   * always written, and the METRICS counters count every request. Variable `LOG_SAMPLE`.
   */
  readonly logSample?: number;
  /**
   * The name this guard gives itself in the `Via` it adds to forwarded requests,
   * which tells "this guard again" (a loop: 508) from "another guard" (a chain).
   * Unset: the host the request was addressed to. Set it when two guards would
   * see the same host (one forwards to the other keeping Host). Variable `GUARD_ID`.
   */
  readonly guardId?: string;
}

/** Credentials written into a URL (`https://user:secret@host`) never reach a log line or an answer. */
function redacted(value: string): string {
  return value.replace(/\/\/[^/?#@\s]*@/g, '//***@');
}

export class ConfigError extends Error {
  // Plain fields, not constructor parameter properties: Node's type stripping runs
  // this file directly (npm run routes), and it cannot strip those.
  readonly setting: Setting;
  /** The rejected value, credentials redacted. */
  readonly value: string;
  readonly expected: string;
  /** Set when the bad value came from a `createGuard` option (its dotted path), not a variable. */
  readonly option: string | undefined;
  /** For clients: the setting and what it accepts, never the value (an ORIGIN is an address). */
  readonly summary: string;

  constructor(setting: Setting, value: string, expected: string, option?: string) {
    const what = `method-guard: invalid ${option === undefined ? setting : `option ${option}`}`;
    const rest = `${option === undefined ? '' : ` (variable ${setting})`}: expected ${expected}`;
    super(`${what}=${JSON.stringify(redacted(value))}${rest}`);
    this.name = 'ConfigError';
    this.setting = setting;
    this.value = redacted(value);
    this.expected = expected;
    this.option = option;
    this.summary = what + rest;
  }
}

/**
 * The name in `names` that `name` is most likely a misspelling of, for "did you
 * mean" (case and `-`/`_` ignored). The edits allowed grow with the name: two
 * for long names, one from five letters, none below, so an app's own short
 * variable (`CODE`, `NODE`) is not taken for `MODE`.
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const plain = (n: string) => n.toLowerCase().replaceAll('-', '_');
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const allowed = candidate.length >= 8 ? 2 : candidate.length >= 5 ? 1 : 0;
    const distance = editDistance(plain(name), plain(candidate));
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

type Env = Partial<Record<Setting, unknown>>;

function read(env: Env, setting: Setting): string {
  const value = env[setting];
  if (value === undefined || value === null) return DEFAULTS[setting];
  return String(value).trim();
}

/**
 * The setting as `parse` reads its text, or a ConfigError in the words of its
 * table row when `parse` finds nothing valid there (undefined).
 */
function parsed<T>(env: Env, setting: Setting, parse: (text: string) => T | undefined): T {
  const text = read(env, setting);
  const value = parse(text);
  if (value !== undefined) return value;
  throw new ConfigError(setting, text, (SETTINGS.find((row) => row.variable === setting) as SettingRow).accepts);
}

const oneOf = <T extends string>(env: Env, setting: Setting, allowed: readonly T[]): T =>
  parsed(env, setting, (text) => allowed.find((value) => value === text.toLowerCase()));

const flag = (env: Env, setting: Setting): boolean =>
  parsed(env, setting, (text) => {
    const word = text.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    return ['false', '0', 'no', 'off', ''].includes(word) ? false : undefined;
  });

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** No path, query, fragment or credentials: requests are forwarded to the origin alone. */
function bareOrigin(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && !url.username && !url.password;
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url : undefined;
}

/** The page origins of a comma list, each exactly an origin (no path), or undefined. */
function pageOrigins(text: string): Set<string> | undefined {
  const origins = new Set<string>();
  for (const origin of list(text)) {
    try {
      const url = new URL(origin);
      if (url.origin === origin.replace(/\/$/, '')) {
        origins.add(url.origin);
        continue;
      }
    } catch {}
    return undefined;
  }
  return origins;
}

function parseCors(env: Env): CorsConfig | null {
  // Every CORS setting is checked even while CORS is off: a typo should not wait
  // to surface until the day CORS_ALLOW_ORIGINS is set.
  const maxAge = parsed(env, 'CORS_MAX_AGE', (text) =>
    /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined,
  );
  // A header name is an RFC 9110 token, the same grammar as a method name.
  const headers = parsed(env, 'CORS_ALLOW_HEADERS', (text) =>
    list(text).every((name) => name === '*' || isMethodToken(name)) ? text : undefined,
  );
  const allowCredentials = flag(env, 'CORS_ALLOW_CREDENTIALS');
  const allowOrigins = parsed(env, 'CORS_ALLOW_ORIGINS', (text) =>
    text === '' ? null : text === '*' ? '*' : pageOrigins(text),
  );
  if (allowOrigins === null) return null;
  if (allowCredentials && allowOrigins === '*') {
    // Fetch standard: a credentialed response may not use the `*` wildcard origin.
    throw new ConfigError(
      'CORS_ALLOW_CREDENTIALS',
      read(env, 'CORS_ALLOW_CREDENTIALS'),
      '"false" when CORS_ALLOW_ORIGINS is "*" (list the origins instead)',
    );
  }
  if (allowCredentials && list(headers).includes('*')) {
    // Fetch standard (CORS protocol): with credentials, `*` in Access-Control-Allow-Headers
    // is a header literally named "*", so Chromium refuses every credentialed request.
    throw new ConfigError(
      'CORS_ALLOW_HEADERS',
      headers,
      'a list of header names without "*" when CORS_ALLOW_CREDENTIALS is "true" (browsers read it as a header named "*")',
    );
  }
  return { allowOrigins, allowHeaders: headers === '' ? null : list(headers), maxAge, allowCredentials };
}

/** An option's value at its dotted path (`cors.maxAge`); undefined when not given. */
function optionAt(options: GuardOptions, path: string): unknown {
  let value: unknown = options;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An option written as its variable would be, so both go through the same checks. */
function optionText(row: SettingRow, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof URL) return value.href;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  throw new ConfigError(row.variable as Setting, String(value), row.accepts, row.option);
}

/** Option names that no row declares (a typo in JavaScript, where types do not catch it). */
function checkOptionNames(options: GuardOptions): void {
  const known = SETTINGS.map((row) => row.option);
  const given = Object.entries(options).flatMap(([key, value]) =>
    key === 'cors' && typeof value === 'object' && value !== null
      ? Object.keys(value).map((sub) => `cors.${sub}`)
      : [key],
  );
  for (const name of given) {
    if (known.includes(name as (typeof known)[number])) continue;
    const near = closestName(name, known);
    throw new TypeError(`method-guard: unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}`);
  }
}

/**
 * The settings in force: a variable with a non-empty value wins, else the option,
 * else the variable as given (empty or absent: its default). Throws a ConfigError
 * naming the variable, or the option when the bad value came from code.
 */
export function parseConfig(env: Env, options: GuardOptions = {}): Config {
  checkOptionNames(options);
  const merged: Env = { ...env };
  const fromOption = new Map<Setting, string>();
  for (const row of SETTINGS) {
    const option = optionAt(options, row.option);
    const variable = env[row.variable];
    const variableSet = variable !== undefined && variable !== null && String(variable).trim() !== '';
    if (option === undefined || variableSet) continue;
    merged[row.variable] = optionText(row, option);
    fromOption.set(row.variable, row.option);
  }
  try {
    return parseSettings(merged);
  } catch (error) {
    const option = error instanceof ConfigError ? fromOption.get(error.setting) : undefined;
    if (!(error instanceof ConfigError) || option === undefined) throw error;
    throw new ConfigError(error.setting, error.value, error.expected, option);
  }
}

function parseSettings(env: Env): Config {
  const strictTrailingSlash = flag(env, 'STRICT_TRAILING_SLASH');
  const caseInsensitive = flag(env, 'CASE_INSENSITIVE');
  return {
    mode: oneOf(env, 'MODE', MODES),
    origin: parsed(env, 'ORIGIN', (text) => (text === '' ? null : bareOrigin(text))),
    unmatched: oneOf(env, 'UNMATCHED', UNMATCHED_POLICIES),
    unmatched404: parsed(env, 'UNMATCHED_404', (text) => (list(text).every(isSubtree) ? list(text) : undefined)),
    strictTrailingSlash,
    caseInsensitive,
    stripMethodOverride: flag(env, 'STRIP_METHOD_OVERRIDE'),
    originProfile: parsed(env, 'ORIGIN_PROFILE', (text) => {
      const profile = originProfile(list(text.toLowerCase()), { caseInsensitive, strictTrailingSlash });
      return 'unknown' in profile ? undefined : profile;
    }),
    cors: parseCors(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS),
    // Number("") is 0: an empty text is no fraction; NaN fails the range.
    logSample: parsed(env, 'LOG_SAMPLE', (text) => {
      const value = Number(text);
      return text !== '' && value >= 0 && value <= 1 ? value : undefined;
    }),
    // A Via received-by (RFC 9110 §7.6.3): a pseudonym token or host[:port], nothing that ends an entry.
    guardId: parsed(env, 'GUARD_ID', (text) =>
      text === '' ? null : /^[A-Za-z0-9._:-]+$/.test(text) ? text : undefined,
    ),
  };
}
