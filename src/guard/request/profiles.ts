/**
 * Origin profiles: which readings of a path (readings.ts) and which method
 * override spellings (override.ts) an origin of one kind performs, as data.
 * `ORIGIN_PROFILE` names one, or a comma list for a stack (an nginx in front of
 * a Rails app: `nginx,rails`) read as one origin with the union of their
 * readings and overrides. `any`, the default, is every profile at once: a
 * method passes only if each of them (and all readings combined) allows it.
 *
 * The headers `X-HTTP-Method-Override`, `X-HTTP-Method`, `X-Method-Override` (in
 * every CGI spelling, `X_HTTP_METHOD_OVERRIDE` too) and the query parameter
 * `_method` are checked under every profile: a profile cannot know what
 * middleware the origin adds (Flask's documented override middleware reads the
 * header, and Werkzeug folds `_` into `-`). The table adds the spellings each
 * kind of origin reads besides.
 */
import type { OverrideSpelling } from './override.ts';
import { READING_NAMES, READINGS, type ReadingName, type ReadingPlan } from './readings.ts';

interface ProfileRow {
  readonly readings: readonly ReadingName[];
  readonly overrides: readonly OverrideSpelling[];
}

/**
 * One row per kind of origin. Its comment says what it models and the doc or
 * source that is taken from: a comment, not a field, since the runtime never
 * reads the prose and every Worker bundle would carry it (docs/readings.md has it too).
 */
export const PROFILES = {
  /**
   * An origin that routes on exactly the path it receives: no folding, no suffixes, no overrides beyond the exact
   * spellings
   */
  strict: {
    readings: [],
    overrides: [],
  },
  /**
   * Express 4/5: case-insensitive, non-strict routing by default (expressjs.com/en/api.html#express.router);
   * method-override reads a header, `?_method` or a urlencoded body `_method` (the body getter its README shows)
   */
  express: {
    readings: ['trailing-slash', 'case-fold'],
    overrides: ['form-body'],
  },
  /**
   * Rails on Rack/Puma: `(.:format)` on every route, trailing slash dropped (guides.rubyonrails.org/routing.html,
   * Journey::Router::Utils.normalize_path); Rack::MethodOverride reads the form body `_method` and
   * HTTP_X_HTTP_METHOD_OVERRIDE, which Puma also fills from `X_HTTP_METHOD_OVERRIDE`
   */
  rails: {
    readings: ['trailing-slash', 'format-suffix'],
    overrides: ['form-body'],
  },
  /**
   * Laravel, Symfony (HttpFoundation Request::getMethod with enableHttpMethodParameterOverride), PHP: `_method` from
   * the body or the query as PHP names parameters (main/php_variables.c: leading spaces dropped, ` ` and `.` to `_`,
   * cut at NUL or `[`), headers from $_SERVER (CGI names: `_` and `-` alike); Laravel trims the trailing slash
   */
  laravel: {
    readings: ['trailing-slash'],
    overrides: ['php-query', 'form-body', 'json-body'],
  },
  /**
   * Spring MVC on a servlet container: `;params` stripped (UrlPathHelper), suffix pattern match ≤ 5.2, trailing slash
   * match ≤ 5.3, trimmed path tokens before 4.3; HiddenHttpMethodFilter reads `_method` from parameters (query and
   * form body)
   */
  spring: {
    readings: ['path-params', 'trim-whitespace', 'suffix-pattern', 'trailing-slash'],
    overrides: ['form-body'],
  },
  /**
   * Django: case-sensitive URL patterns on the decoded path; APPEND_SLASH answers a redirect, which comes back
   * through the guard; no override by default
   */
  django: {
    readings: [],
    overrides: [],
  },
  /**
   * Flask/Werkzeug: case-sensitive rules; strict_slashes and merge_slashes answer redirects (308), which come back
   * through the guard; no override by default
   */
  flask: {
    readings: [],
    overrides: [],
  },
  /**
   * ASP.NET Core routing (case-insensitive, OrdinalIgnoreCase; optional trailing slash) and IIS (Windows names,
   * server variables with CGI header names); UseHttpMethodOverride reads X-HTTP-Method-Override
   */
  aspnet: {
    readings: ['windows-names', 'trailing-slash', 'case-fold', 'case-fold-unicode'],
    overrides: [],
  },
  /**
   * nginx serving files or proxying: merge_slashes and decoding are the canonical path (what it could decode
   * differently is refused), locations are case-sensitive; underscores_in_headers is off
   */
  nginx: {
    readings: [],
    overrides: [],
  },
  /**
   * Go net/http ServeMux: case-sensitive patterns; unclean paths (`//`, `..`) get a redirect, which comes back
   * through the guard; no override
   */
  go: {
    readings: [],
    overrides: [],
  },
  /**
   * An origin nobody has described: every profile above must allow the method, and so must all readings combined (an
   * origin doing several of these at once); every override spelling
   */
  any: {
    readings: READING_NAMES,
    overrides: ['php-query', 'form-body', 'json-body'],
  },
} as const satisfies Record<string, ProfileRow>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** What the guard does for ORIGIN_PROFILE (and the CASE_INSENSITIVE / STRICT_TRAILING_SLASH settings). */
export interface OriginProfile {
  readonly names: readonly ProfileName[];
  /** One plan per kind of origin that may be reading: each that matches a route must allow the method. */
  readonly plans: readonly ReadingPlan[];
  /** Matches a path some reading of some plan may change (readings.ts: `touches`). */
  readonly touches: RegExp;
  readonly overrides: ReadonlySet<OverrideSpelling>;
}

export interface ProfileSettings {
  /** CASE_INSENSITIVE: adds the case-fold reading to whatever the profiles say. */
  readonly caseInsensitive: boolean;
  /** STRICT_TRAILING_SLASH: only then is trailing-slash a reading (otherwise the routes already ignore it). */
  readonly strictTrailingSlash: boolean;
}

const isProfileName = (name: string): name is ProfileName => Object.hasOwn(PROFILES, name);

function plan(name: string, readings: Iterable<ReadingName>, settings: ProfileSettings): ReadingPlan {
  const wanted = new Set(readings);
  if (settings.caseInsensitive) wanted.add('case-fold');
  if (!settings.strictTrailingSlash) wanted.delete('trailing-slash');
  return { name, readings: READING_NAMES.filter((reading) => wanted.has(reading)) };
}

/** The named profiles as plans, or the names that are not profiles. */
export function originProfile(
  names: readonly string[],
  settings: ProfileSettings,
): OriginProfile | { readonly unknown: readonly string[] } {
  const unknown = names.filter((name) => !isProfileName(name));
  if (unknown.length > 0 || names.length === 0) return { unknown };
  const unique = [...new Set(names as ProfileName[])];
  const rows: ProfileRow[] = unique.map((name) => PROFILES[name]);
  const plans = unique.includes('any')
    ? PROFILE_NAMES.map((name) =>
        plan(name === 'any' ? 'all readings combined' : name, PROFILES[name].readings, settings),
      )
    : [
        plan(
          unique.join(','),
          rows.flatMap((row) => row.readings),
          settings,
        ),
      ];
  const used = new Set(plans.flatMap((p) => p.readings));
  // `(?!)` never matches: a profile with no readings reads every path as itself.
  const touches = new RegExp([...used].map((name) => READINGS[name].touches.source).join('|') || '(?!)');
  return { names: unique, plans, touches, overrides: new Set(rows.flatMap((row) => row.overrides)) };
}
