/**
 * Worker settings (wrangler.toml `[vars]`, `--var`, dashboard), parsed and
 * validated once into a typed value. A bad value is a ConfigError naming the
 * setting and what it accepts, never a stack trace from deep inside a request.
 */
import { isMethodToken } from './map/methods.ts';

export type UnmatchedPolicy = 'forward' | '404';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

export interface CorsConfig {
  /** Allowed page origins; `*` allows any. */
  readonly allowOrigins: '*' | ReadonlySet<string>;
  /** Request headers a page may send; null echoes what the preflight asks for. */
  readonly allowHeaders: readonly string[] | null;
  readonly maxAge: number;
  readonly allowCredentials: boolean;
}

export interface Config {
  /** Where allowed requests go; null forwards to the request's own URL (zone route). */
  readonly origin: URL | null;
  readonly unmatched: UnmatchedPolicy;
  readonly strictTrailingSlash: boolean;
  readonly caseInsensitive: boolean;
  readonly stripMethodOverride: boolean;
  /** null: nothing CORS is added. */
  readonly cors: CorsConfig | null;
  readonly logLevel: LogLevel;
}

/** The settings this Worker reads, with their defaults as wrangler.toml ships them. */
export const DEFAULTS = {
  ORIGIN: '',
  UNMATCHED: 'forward',
  STRICT_TRAILING_SLASH: 'false',
  CASE_INSENSITIVE: 'false',
  STRIP_METHOD_OVERRIDE: 'false',
  CORS_ALLOW_ORIGINS: '',
  CORS_ALLOW_HEADERS: '',
  CORS_MAX_AGE: '600',
  CORS_ALLOW_CREDENTIALS: 'false',
  LOG_LEVEL: 'info',
} as const;

export type Setting = keyof typeof DEFAULTS;

export class ConfigError extends Error {
  // Plain fields, not constructor parameter properties: Node's type stripping runs
  // this file directly (npm run routes), and it cannot strip those.
  readonly setting: Setting;
  readonly value: string;
  readonly expected: string;

  constructor(setting: Setting, value: string, expected: string) {
    super(`method-guard: invalid ${setting}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'ConfigError';
    this.setting = setting;
    this.value = value;
    this.expected = expected;
  }
}

type Env = Partial<Record<Setting, unknown>>;

function read(env: Env, setting: Setting): string {
  const value = env[setting];
  if (value === undefined || value === null) return DEFAULTS[setting];
  return String(value).trim();
}

function oneOf<T extends string>(env: Env, setting: Setting, allowed: readonly T[]): T {
  const value = read(env, setting).toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(setting, read(env, setting), `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

function flag(env: Env, setting: Setting): boolean {
  const value = read(env, setting).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off', ''].includes(value)) return false;
  throw new ConfigError(setting, read(env, setting), '"true" or "false"');
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseOrigin(env: Env): URL | null {
  const value = read(env, 'ORIGIN');
  if (value === '') return null;
  const expected =
    'an http(s) origin such as "http://127.0.0.1:9000" (no path, query or fragment), or "" to forward to the request URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('ORIGIN', value, expected);
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && !url.username && !url.password;
  if (!(url.protocol === 'http:' || url.protocol === 'https:') || !bare)
    throw new ConfigError('ORIGIN', value, expected);
  return url;
}

function parseCors(env: Env): CorsConfig | null {
  // Every CORS setting is checked even while CORS is off: a typo should not wait
  // to surface until the day CORS_ALLOW_ORIGINS is set.
  const maxAgeText = read(env, 'CORS_MAX_AGE');
  const maxAge = Number(maxAgeText);
  if (!/^\d+$/.test(maxAgeText) || !Number.isSafeInteger(maxAge)) {
    throw new ConfigError('CORS_MAX_AGE', maxAgeText, 'a whole number of seconds, e.g. "600"');
  }
  const headers = read(env, 'CORS_ALLOW_HEADERS');
  // A header name is an RFC 9110 token, the same grammar as a method name.
  if (!list(headers).every((name) => name === '*' || isMethodToken(name))) {
    throw new ConfigError(
      'CORS_ALLOW_HEADERS',
      headers,
      '"" (echo what the preflight asks for) or a comma list of header names such as "content-type, authorization"',
    );
  }
  const allowCredentials = flag(env, 'CORS_ALLOW_CREDENTIALS');
  const origins = read(env, 'CORS_ALLOW_ORIGINS');
  if (origins === '') return null;
  const allowOrigins = origins === '*' ? '*' : new Set(list(origins).map((o) => checkedPageOrigin(o, origins)));
  if (allowCredentials && allowOrigins === '*') {
    // Fetch standard: a credentialed response may not use the `*` wildcard origin.
    throw new ConfigError(
      'CORS_ALLOW_CREDENTIALS',
      read(env, 'CORS_ALLOW_CREDENTIALS'),
      '"false" when CORS_ALLOW_ORIGINS is "*" (list the origins instead)',
    );
  }
  return { allowOrigins, allowHeaders: headers === '' ? null : list(headers), maxAge, allowCredentials };
}

function checkedPageOrigin(origin: string, whole: string): string {
  try {
    const url = new URL(origin);
    if (url.origin === origin.replace(/\/$/, '')) return url.origin;
  } catch {}
  throw new ConfigError(
    'CORS_ALLOW_ORIGINS',
    whole,
    '"*" or a comma list of origins such as "https://app.example.com"',
  );
}

export function parseConfig(env: Env): Config {
  return {
    origin: parseOrigin(env),
    unmatched: oneOf(env, 'UNMATCHED', ['forward', '404'] as const),
    strictTrailingSlash: flag(env, 'STRICT_TRAILING_SLASH'),
    caseInsensitive: flag(env, 'CASE_INSENSITIVE'),
    stripMethodOverride: flag(env, 'STRIP_METHOD_OVERRIDE'),
    cors: parseCors(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'off'] as const),
  };
}
