import { describe, expect, expectTypeOf, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { type Config, ConfigError, DEFAULTS, parseConfig, type Setting } from '../../src/guard/config.ts';
import { PROFILE_NAMES } from '../../src/guard/request/profiles.ts';
import { READING_NAMES } from '../../src/guard/request/readings.ts';

/** The ConfigError `parseConfig(env)` throws (fails the test if it throws nothing). */
function configError(env: Record<string, unknown>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig(${JSON.stringify(env)}) accepted the value`);
}

describe('configuration: types', () => {
  it('knows every var wrangler types generates for the env', () => {
    // Compile-time: a var in wrangler.toml that config.ts does not read fails `tsc`.
    expectTypeOf<Exclude<keyof Env, Setting>>().toEqualTypeOf<never>();
    expectTypeOf<Env>().toExtend<Parameters<typeof parseConfig>[0]>();
  });
});

describe('configuration: defaults', () => {
  it('gives every setting its default when no var is set', () => {
    expect(parseConfig({})).toEqual({
      mode: 'enforce',
      origin: null,
      unmatched: 'forward',
      unmatched404: [],
      strictTrailingSlash: false,
      caseInsensitive: false,
      stripMethodOverride: false,
      originProfile: parseConfig({ ORIGIN_PROFILE: 'any' }).originProfile,
      cors: null,
      logLevel: 'info',
      logSample: 1,
      guardId: null,
    } satisfies Config);
    expect(parseConfig({}).originProfile.names).toEqual(['any']);
  });

  it('parses DEFAULTS, written out as vars, to the same config as no vars', () => {
    expect(parseConfig(DEFAULTS)).toEqual(parseConfig({}));
  });

  it('ships wrangler.toml [vars] with the defaults', () => {
    const { vars } = unstable_readConfig({ config: 'wrangler.toml' });
    for (const [name, value] of Object.entries(vars)) {
      expect(value, name).toBe(DEFAULTS[name as Setting]);
    }
  });

  it('treats an unset (null) var as its default', () => {
    expect(parseConfig({ UNMATCHED: null }).unmatched).toBe('forward');
  });
});

describe('configuration: ORIGIN', () => {
  it('forwards to the request URL when empty', () => {
    expect(parseConfig({ ORIGIN: '' }).origin).toBeNull();
  });

  it.each(['http://127.0.0.1:9000', 'https://origin.example.com', 'https://origin.example.com/'])(
    'accepts the origin %s',
    (value) => {
      expect(parseConfig({ ORIGIN: value }).origin?.origin).toBe(value.replace(/\/$/, ''));
    },
  );

  it('trims surrounding whitespace', () => {
    expect(parseConfig({ ORIGIN: ' http://127.0.0.1:9000 ' }).origin?.href).toBe('http://127.0.0.1:9000/');
  });

  it.each([
    ['not a URL', 'origin.example.com'],
    ['a path', 'https://origin.example.com/app'],
    ['a query', 'https://origin.example.com/?a=1'],
    ['a fragment', 'https://origin.example.com/#top'],
    ['credentials', 'https://user:secret@origin.example.com'],
    ['another scheme', 'ftp://origin.example.com'],
  ])('rejects %s, naming ORIGIN and what it accepts', (_what, value) => {
    const error = configError({ ORIGIN: value });
    expect(error.setting).toBe('ORIGIN');
    expect(error.message).toContain(`ORIGIN=${JSON.stringify(error.value)}`);
    expect(error.message).toContain('an http(s) origin such as "http://127.0.0.1:9000"');
  });
});

describe('configuration: UNMATCHED', () => {
  it.each(['forward', '404'] as const)('accepts %s', (value) => {
    expect(parseConfig({ UNMATCHED: value }).unmatched).toBe(value);
  });

  it('ignores case', () => {
    expect(parseConfig({ UNMATCHED: 'Forward' }).unmatched).toBe('forward');
  });

  it('accepts 404 given as a JSON number var', () => {
    expect(parseConfig({ UNMATCHED: 404 }).unmatched).toBe('404');
  });

  it('rejects anything else, listing the allowed values', () => {
    expect(configError({ UNMATCHED: 'drop' }).message).toBe(
      'method-guard: invalid UNMATCHED="drop": expected one of "forward", "404"',
    );
  });
});

describe('configuration: on/off settings', () => {
  const flags = [
    ['STRICT_TRAILING_SLASH', 'strictTrailingSlash'],
    ['CASE_INSENSITIVE', 'caseInsensitive'],
    ['STRIP_METHOD_OVERRIDE', 'stripMethodOverride'],
  ] as const;

  describe.each(flags)('%s', (setting, field) => {
    it.each(['true', 'TRUE', '1', 'yes', 'on', true])('turns on with %s', (value) => {
      expect(parseConfig({ [setting]: value })[field]).toBe(true);
    });

    it.each(['false', '0', 'no', 'off', '', false])('turns off with %j', (value) => {
      expect(parseConfig({ [setting]: value })[field]).toBe(false);
    });

    it('rejects anything else, naming the setting', () => {
      const error = configError({ [setting]: 'maybe' });
      expect(error.setting).toBe(setting);
      expect(error.message).toBe(`method-guard: invalid ${setting}="maybe": expected "true" or "false"`);
    });
  });
});

describe('configuration: CORS', () => {
  it('is off while CORS_ALLOW_ORIGINS is empty', () => {
    expect(parseConfig({ CORS_ALLOW_ORIGINS: '', CORS_ALLOW_HEADERS: 'content-type' }).cors).toBeNull();
  });

  it('allows any page origin with *', () => {
    expect(parseConfig({ CORS_ALLOW_ORIGINS: '*' }).cors?.allowOrigins).toBe('*');
  });

  it('reads a comma list of page origins, dropping a trailing slash', () => {
    const cors = parseConfig({ CORS_ALLOW_ORIGINS: 'https://app.example.com/, http://localhost:5173' }).cors;
    expect(cors?.allowOrigins).toEqual(new Set(['https://app.example.com', 'http://localhost:5173']));
  });

  it('gives the CORS defaults once enabled', () => {
    expect(parseConfig({ CORS_ALLOW_ORIGINS: '*' }).cors).toEqual({
      allowOrigins: '*',
      allowHeaders: null,
      maxAge: 600,
      allowCredentials: false,
    });
  });

  it('reads CORS_ALLOW_HEADERS as a list of header names', () => {
    const cors = parseConfig({ CORS_ALLOW_ORIGINS: '*', CORS_ALLOW_HEADERS: 'Content-Type, authorization' }).cors;
    expect(cors?.allowHeaders).toEqual(['Content-Type', 'authorization']);
  });

  it('reads CORS_MAX_AGE in seconds, also as a JSON number var', () => {
    expect(parseConfig({ CORS_ALLOW_ORIGINS: '*', CORS_MAX_AGE: 86400 }).cors?.maxAge).toBe(86400);
  });

  it('allows credentials with a list of origins', () => {
    const cors = parseConfig({ CORS_ALLOW_ORIGINS: 'https://app.example.com', CORS_ALLOW_CREDENTIALS: 'true' }).cors;
    expect(cors?.allowCredentials).toBe(true);
  });

  it.each(['app.example.com', 'https://app.example.com/path', '*, https://app.example.com'])(
    'rejects the page origin list %j, naming CORS_ALLOW_ORIGINS',
    (value) => {
      const error = configError({ CORS_ALLOW_ORIGINS: value });
      expect(error.setting).toBe('CORS_ALLOW_ORIGINS');
      expect(error.expected).toBe('"*" or a comma list of origins such as "https://app.example.com"');
    },
  );

  it('rejects a header name that is not an HTTP token, naming CORS_ALLOW_HEADERS', () => {
    const error = configError({ CORS_ALLOW_ORIGINS: '*', CORS_ALLOW_HEADERS: 'content-type, x:bad' });
    expect(error.setting).toBe('CORS_ALLOW_HEADERS');
    expect(error.message).toContain('a comma list of header names');
  });

  it.each(['-1', '1.5', 'ten', '1e3'])('rejects CORS_MAX_AGE=%s, naming CORS_MAX_AGE', (value) => {
    const error = configError({ CORS_ALLOW_ORIGINS: '*', CORS_MAX_AGE: value });
    expect(error.message).toBe(
      `method-guard: invalid CORS_MAX_AGE=${JSON.stringify(value)}: expected a whole number of seconds, e.g. "600"`,
    );
  });

  it('rejects an invalid CORS setting even while CORS is off', () => {
    expect(configError({ CORS_MAX_AGE: 'ten' }).setting).toBe('CORS_MAX_AGE');
  });

  it('rejects CORS_ALLOW_CREDENTIALS with the * origin, as the Fetch standard forbids', () => {
    const error = configError({ CORS_ALLOW_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'yes' });
    expect(error.message).toBe(
      'method-guard: invalid CORS_ALLOW_CREDENTIALS="yes": expected "false" when CORS_ALLOW_ORIGINS is "*" (list the origins instead)',
    );
  });

  it('rejects CORS_ALLOW_HEADERS=* with credentials: the Fetch standard then reads * as a header name', () => {
    const error = configError({
      CORS_ALLOW_ORIGINS: 'https://app.example.com',
      CORS_ALLOW_HEADERS: 'content-type, *',
      CORS_ALLOW_CREDENTIALS: 'true',
    });
    expect(error.setting).toBe('CORS_ALLOW_HEADERS');
    expect(error.message).toBe(
      'method-guard: invalid CORS_ALLOW_HEADERS="content-type, *": expected a list of header names without "*" when CORS_ALLOW_CREDENTIALS is "true" (browsers read it as a header named "*")',
    );
  });

  it('rejects a CORS_ALLOW_CREDENTIALS that is not on or off, naming it', () => {
    expect(configError({ CORS_ALLOW_CREDENTIALS: 'sometimes' }).setting).toBe('CORS_ALLOW_CREDENTIALS');
  });
});

describe('configuration: LOG_LEVEL', () => {
  it.each(['debug', 'info', 'warn', 'error', 'off'] as const)('accepts %s', (value) => {
    expect(parseConfig({ LOG_LEVEL: value }).logLevel).toBe(value);
  });

  it('rejects anything else, listing the levels', () => {
    expect(configError({ LOG_LEVEL: 'verbose' }).message).toBe(
      'method-guard: invalid LOG_LEVEL="verbose": expected one of "debug", "info", "warn", "error", "off"',
    );
  });
});

describe('configuration: MODE', () => {
  it.each([
    ['enforce', 'enforce'],
    ['report', 'report'],
    [' Report ', 'report'],
  ] as const)('accepts %j', (value, mode) => {
    expect(parseConfig({ MODE: value }).mode).toBe(mode);
  });

  it('is the option mode in code, which a MODE variable overrides', () => {
    expect(parseConfig({}, { mode: 'report' }).mode).toBe('report');
    expect(parseConfig({ MODE: 'enforce' }, { mode: 'report' }).mode).toBe('enforce');
  });

  it.each(['log', 'dry-run', 'off', ''])('rejects MODE=%j, naming MODE and both modes', (value) => {
    expect(configError({ MODE: value }).message).toBe(
      `method-guard: invalid MODE=${JSON.stringify(value)}: expected one of "enforce", "report"`,
    );
  });
});

describe('configuration: ORIGIN_PROFILE', () => {
  it('reads a comma list of profiles, in any case, as one origin stack with the union of their readings', () => {
    const profile = parseConfig({ ORIGIN_PROFILE: 'Nginx, rails', STRICT_TRAILING_SLASH: 'true' }).originProfile;
    expect(profile.names).toEqual(['nginx', 'rails']);
    expect(profile.plans).toEqual([{ name: 'nginx,rails', readings: ['format-suffix', 'trailing-slash'] }]);
    expect([...profile.overrides].sort()).toEqual(['form-body']);
  });

  it('reads any as every profile at once, plus all readings combined', () => {
    const { plans } = parseConfig({}).originProfile;
    expect(plans.map((p) => p.name)).toEqual([...PROFILE_NAMES.slice(0, -1), 'all readings combined']);
    expect(plans.at(-1)?.readings).toEqual(READING_NAMES.filter((name) => name !== 'trailing-slash'));
  });

  it('adds the case-fold reading to a profile with CASE_INSENSITIVE', () => {
    expect(parseConfig({ ORIGIN_PROFILE: 'strict', CASE_INSENSITIVE: 'true' }).originProfile.plans).toEqual([
      { name: 'strict', readings: ['case-fold'] },
    ]);
  });

  it('drops trailing-slash as a reading when the routes already ignore trailing slashes', () => {
    expect(parseConfig({ ORIGIN_PROFILE: 'express' }).originProfile.plans[0]?.readings).toEqual(['case-fold']);
  });

  it('rejects an unknown profile, listing the profiles', () => {
    const error = configError({ ORIGIN_PROFILE: 'rails,sinatra' });
    expect(error.setting).toBe('ORIGIN_PROFILE');
    expect(error.expected).toContain('"strict"');
    expect(error.expected).toContain('"any"');
  });

  it('rejects an empty list', () => {
    expect(configError({ ORIGIN_PROFILE: ' , ' }).setting).toBe('ORIGIN_PROFILE');
  });
});

describe('configuration: UNMATCHED_404', () => {
  it('reads a comma list of subtree prefixes, as a variable or the option', () => {
    expect(parseConfig({ UNMATCHED_404: ' /api/*, /admin/* ' }).unmatched404).toEqual(['/api/*', '/admin/*']);
    expect(parseConfig({}, { unmatched404: ['/v1/internal/*'] }).unmatched404).toEqual(['/v1/internal/*']);
    expect(parseConfig({ UNMATCHED_404: '/*' }).unmatched404).toEqual(['/*']);
  });

  it.each(['/api', 'api/*', '/api/*/x', '/:id/*', '/a;b/*', '/caf%C3%A9/*', '/api*'])(
    'rejects %j, naming UNMATCHED_404 and the form it takes',
    (value) => {
      expect(configError({ UNMATCHED_404: value }).message).toBe(
        `method-guard: invalid UNMATCHED_404=${JSON.stringify(value)}: expected "" or a comma list of path prefixes ending in "/*", such as "/api/*, /admin/*"`,
      );
    },
  );
});

describe('configuration: LOG_SAMPLE', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    ['0.01', 0.01],
    ['.5', 0.5],
    [' 0.25 ', 0.25],
  ] as const)('accepts %j', (value, sample) => {
    expect(parseConfig({ LOG_SAMPLE: value }).logSample).toBe(sample);
  });

  it('takes a number, as a JSON var or the option', () => {
    expect(parseConfig({ LOG_SAMPLE: 0.1 }).logSample).toBe(0.1);
    expect(parseConfig({}, { logSample: 0.001 }).logSample).toBe(0.001);
  });

  it.each(['1.5', '-0.1', '10%', 'half', '', 'Infinity'])('rejects LOG_SAMPLE=%j, naming it', (value) => {
    expect(configError({ LOG_SAMPLE: value }).message).toBe(
      `method-guard: invalid LOG_SAMPLE=${JSON.stringify(value)}: expected a fraction from 0 to 1, e.g. "0.01" for one refusal line in a hundred`,
    );
  });
});

describe('configuration: GUARD_ID', () => {
  it.each(['edge-staging', 'www.example.com', 'www.example.com:8443'])('accepts %s as a Via name', (value) => {
    expect(parseConfig({ GUARD_ID: value }).guardId).toBe(value);
  });

  it.each(['two words', 'a,b', 'x (method-guard)'])('rejects %j, which would not be one Via received-by', (value) => {
    expect(configError({ GUARD_ID: value }).setting).toBe('GUARD_ID');
  });
});

describe('configuration: errors', () => {
  it('is a ConfigError carrying the setting, the value and what it accepts', () => {
    const error = configError({ LOG_LEVEL: 'loud' });
    expect(error).toMatchObject({ name: 'ConfigError', setting: 'LOG_LEVEL', value: 'loud' });
    expect(error.expected).toContain('"debug"');
  });

  it('never repeats credentials written into a URL, in its message or its value', () => {
    const error = configError({ ORIGIN: 'https://deploy:s3cret@origin.example.com' });
    expect(error.message).toBe(
      `method-guard: invalid ORIGIN="https://***@origin.example.com": expected ${error.expected}`,
    );
    expect(error.value).toBe('https://***@origin.example.com');
  });

  it('has a summary for clients that names the setting and what it accepts but not the value', () => {
    const error = configError({ ORIGIN: 'http://10.0.0.7:8080/internal' });
    expect(error.summary).toBe(`method-guard: invalid ORIGIN: expected ${error.expected}`);
  });

  it('has a rejected example for every setting', () => {
    const invalid: Record<Setting, Record<string, string>> = {
      MODE: { MODE: 'nope' },
      ORIGIN: { ORIGIN: 'nope' },
      UNMATCHED: { UNMATCHED: 'nope' },
      UNMATCHED_404: { UNMATCHED_404: '/api' },
      STRICT_TRAILING_SLASH: { STRICT_TRAILING_SLASH: 'nope' },
      CASE_INSENSITIVE: { CASE_INSENSITIVE: 'nope' },
      STRIP_METHOD_OVERRIDE: { STRIP_METHOD_OVERRIDE: 'nope' },
      ORIGIN_PROFILE: { ORIGIN_PROFILE: 'rails,nope' },
      CORS_ALLOW_ORIGINS: { CORS_ALLOW_ORIGINS: 'nope' },
      CORS_ALLOW_HEADERS: { CORS_ALLOW_HEADERS: 'no pe' },
      CORS_MAX_AGE: { CORS_MAX_AGE: 'nope' },
      CORS_ALLOW_CREDENTIALS: { CORS_ALLOW_CREDENTIALS: 'nope' },
      LOG_LEVEL: { LOG_LEVEL: 'nope' },
      LOG_SAMPLE: { LOG_SAMPLE: 'nope' },
      GUARD_ID: { GUARD_ID: 'two words' },
    };
    for (const [setting, env] of Object.entries(invalid)) expect(configError(env).setting).toBe(setting);
  });
});
