import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Config, ConfigError, type GuardOptions, parseConfig, SETTINGS } from '../../src/guard/config.ts';
import { createGuard } from '../../src/guard/guard.ts';

function optionError(options: GuardOptions, env: Record<string, unknown> = {}): ConfigError {
  try {
    parseConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(options)}`);
}

describe('options: the settings table', () => {
  it('has one row per variable and per option', () => {
    expect(new Set(SETTINGS.map((r) => r.variable)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((r) => r.option)).size).toBe(SETTINGS.length);
  });

  it('gives each option the same effect as its variable', () => {
    const options: GuardOptions = {
      origin: 'https://origin.example.com',
      unmatched: '404',
      strictTrailingSlash: true,
      caseInsensitive: true,
      stripMethodOverride: true,
      cors: {
        allowOrigins: ['https://app.example.com', 'http://localhost:5173'],
        allowHeaders: ['content-type'],
        maxAge: 60,
        allowCredentials: true,
      },
      logLevel: 'debug',
    };
    expect(parseConfig({}, options)).toEqual(
      parseConfig({
        ORIGIN: 'https://origin.example.com',
        UNMATCHED: '404',
        STRICT_TRAILING_SLASH: 'true',
        CASE_INSENSITIVE: 'true',
        STRIP_METHOD_OVERRIDE: 'true',
        CORS_ALLOW_ORIGINS: 'https://app.example.com, http://localhost:5173',
        CORS_ALLOW_HEADERS: 'content-type',
        CORS_MAX_AGE: '60',
        CORS_ALLOW_CREDENTIALS: 'true',
        LOG_LEVEL: 'debug',
      }) satisfies Config,
    );
  });

  it("is the README's settings table, row for row", () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const row of SETTINGS) {
      const cells = [row.variable, row.option, row.default === '' ? '""' : row.default].map((c) => `\`${c}\``);
      expect(readme, row.variable).toContain(`| ${cells.join(' | ')} |`);
    }
  });

  it('takes a URL as the origin', () => {
    expect(parseConfig({}, { origin: new URL('http://127.0.0.1:9000') }).origin?.href).toBe('http://127.0.0.1:9000/');
  });
});

describe('options: precedence', () => {
  it('lets a variable with a value win over the option', () => {
    expect(parseConfig({ UNMATCHED: 'forward' }, { unmatched: '404' }).unmatched).toBe('forward');
    expect(parseConfig({ CORS_MAX_AGE: 5 }, { cors: { allowOrigins: '*', maxAge: 60 } }).cors?.maxAge).toBe(5);
  });

  it('keeps the option when the variable is empty or absent', () => {
    expect(parseConfig({ ORIGIN: '' }, { origin: 'https://o.example.com' }).origin?.host).toBe('o.example.com');
    expect(parseConfig({ UNMATCHED: '  ' }, { unmatched: '404' }).unmatched).toBe('404');
    expect(parseConfig({}, { unmatched: '404' }).unmatched).toBe('404');
  });

  it('uses a variable only where no option is given', () => {
    const config = parseConfig({ LOG_LEVEL: 'warn' }, { unmatched: '404' });
    expect(config).toMatchObject({ unmatched: '404', logLevel: 'warn' });
  });
});

describe('options: validation', () => {
  it('rejects a bad option with the same check as its variable, naming the option and the variable', () => {
    const error = optionError({ unmatched: '404s' as never });
    expect(error).toMatchObject({ setting: 'UNMATCHED', option: 'unmatched', value: '404s' });
    expect(error.message).toBe(
      'method-guard: invalid option unmatched="404s" (variable UNMATCHED): expected one of "forward", "404"',
    );
  });

  it('names a nested option by its path', () => {
    const error = optionError({ cors: { allowOrigins: '*', maxAge: -1 } });
    expect(error.option).toBe('cors.maxAge');
    expect(error.message).toContain('expected a whole number of seconds');
  });

  it('rejects an option of the wrong type, naming it', () => {
    expect(optionError({ origin: { host: 'x' } as never }).option).toBe('origin');
  });

  it('rejects credentials with the * origin whether they come from options or variables', () => {
    expect(optionError({ cors: { allowOrigins: '*', allowCredentials: true } }).option).toBe('cors.allowCredentials');
  });

  it('names a variable, not the option, when the bad value came from the variable', () => {
    const error = optionError({ unmatched: '404' }, { UNMATCHED: 'drop' });
    expect(error.option).toBeUndefined();
    expect(error.message).toBe('method-guard: invalid UNMATCHED="drop": expected one of "forward", "404"');
  });

  it('rejects an unknown option name with a did-you-mean', () => {
    expect(() => parseConfig({}, { unmatch: '404' } as GuardOptions)).toThrow(
      'method-guard: unknown option unmatch (did you mean unmatched?)',
    );
    expect(() => parseConfig({}, { cors: { maxage: 5 } } as GuardOptions)).toThrow('did you mean cors.maxAge?');
  });

  it('fails createGuard itself on a bad option, before any request', () => {
    expect(() => createGuard({ routes: [], fetch: async () => undefined }, { logLevel: 'loud' as never })).toThrow(
      ConfigError,
    );
  });
});
