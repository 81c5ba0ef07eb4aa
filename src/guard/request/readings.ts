/**
 * How real origins read a path: each *reading* is a pure function from the
 * canonical path (canonical.ts, the one path that is forwarded) to the path an
 * origin of some kind routes on. Two kinds:
 * - a `rewrite` replaces the path before any route sees it (Tomcat cuts
 *   `;params`, Express compares case-insensitively): the origin matches the result only;
 * - an `alternative` is a second form the origin's routes also accept (Rails'
 *   `(.:format)`, Spring's suffix and trailing-slash match): the origin runs a
 *   route that matches the path *or* the result.
 * An origin profile (profiles.ts) names the readings one kind of origin performs;
 * the decision (decide.ts) asks the method map about each profile's forms and
 * lets a method pass only if every profile that matches a route allows it.
 *
 * A reading returns its input itself when it changes nothing (no allocation on
 * the common path). What a reading yields that is no path a guard can check
 * (`/..;/admin`, which Tomcat reads as `/../admin`, i.e. `/admin`) is ambiguous: 400.
 */

export interface Ambiguous {
  readonly ambiguous: string;
}

export interface Reading {
  readonly kind: 'rewrite' | 'alternative';
  readonly read: (path: string) => string | Ambiguous;
  /** A path with no match for this is read as itself (lets most requests skip every reading). */
  readonly touches: RegExp;
  /** Its paths are compared with the routes case-insensitively (ASCII letters). */
  readonly foldsCase?: true;
}

/** Encoded whitespace (ASCII space and Unicode's: Python's str.strip, Java's Character.isWhitespace). */
const SPACE = '(?:%20|%C2%A0|%C2%85|%E1%9A%80|%E2%80%8[0-9A]|%E2%80%A[89F]|%E2%81%9F|%E3%80%80|%EF%BB%BF)';
const EDGE_SPACE = new RegExp(`(?<=/)${SPACE}+|${SPACE}+(?=/|$)`, 'g');
/** Windows drops trailing dots and spaces from a file name, and `::$DATA` names a file's main stream. */
const WINDOWS_TAIL = /(?:\.|%20|::\$DATA)+(?=\/|$)/gi;
const PATH_PARAMS = /;[^/]*/g;
const ESCAPED_NON_ASCII = /(?:%[C-F][0-9A-F](?:%[89AB][0-9A-F])+)+/g;
/** Letters outside ASCII that Unicode case mapping relates to ASCII ones (Java's equalsIgnoreCase, .NET's OrdinalIgnoreCase). */
const FOLDS_TO_ASCII: Readonly<Record<string, string>> = { ı: 'i', İ: 'i', ſ: 's', K: 'k' };

/** The last segment's bounds, trailing slashes excluded (Rails and Spring strip those first). */
function lastSegment(path: string): { start: number; end: number } {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return { start: path.lastIndexOf('/', end - 1) + 1, end };
}

/** Strips `.ext` from the last segment, from its last dot (`lastDot`) or its first. */
function stripSuffix(path: string, lastDot: boolean): string {
  const { start, end } = lastSegment(path);
  const segment = path.slice(start, end);
  const dot = lastDot ? segment.lastIndexOf('.') : segment.indexOf('.');
  // `.json` alone is a name, not a suffix; `a.` has no format.
  if (dot <= 0 || dot === segment.length - 1) return path;
  return path.slice(0, start + dot) + path.slice(end);
}

function foldUnicode(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(ESCAPED_NON_ASCII, (escaped) => {
    let folded = '';
    for (const ch of decodeURIComponent(escaped)) folded += FOLDS_TO_ASCII[ch] ?? ch.toLowerCase();
    return encodeURIComponent(folded).replace(/%[0-9a-f]{2}/g, (e) => e.toUpperCase());
  });
}

/**
 * The readings, in the order they compose (a profile's readings are applied in
 * this order, each to every path the earlier ones produced: Spring strips
 * `;params` before it matches a suffix, Rails drops the trailing slash before
 * the format). Each row's comment says which origins read so, and the doc or
 * source it is taken from: a comment, not a field, since the runtime never reads
 * the prose and every Worker bundle would carry it (docs/readings.md has it too).
 */
export const READINGS = {
  /**
   * Tomcat, Jetty, Spring (UrlPathHelper.removeSemicolonContent): `;params` are cut from every segment,
   * `/admin;x=1/a` is `/admin/a` (Servlet 6 §3.5)
   */
  'path-params': {
    touches: /;/,
    kind: 'rewrite',
    read: (path) => (path.includes(';') ? path.replace(PATH_PARAMS, '') : path),
  },
  /**
   * Spring AntPathMatcher trimTokens (the default before 4.3.0, CVE-2016-5007): whitespace at a segment edge is
   * trimmed, `/admin%20` is `/admin`
   */
  'trim-whitespace': {
    touches: /%/,
    kind: 'rewrite',
    read: (path) => (path.includes('%') ? path.replace(EDGE_SPACE, '') : path),
  },
  /**
   * IIS and other Windows file-backed origins: trailing dots and spaces and the `::$DATA` stream name are dropped
   * from a name (Win32 path normalisation), `/admin.` is `/admin`
   */
  'windows-names': {
    touches: /[.%:]/,
    kind: 'rewrite',
    read: (path) => path.replace(WINDOWS_TAIL, ''),
  },
  /**
   * Rails routes end in an optional `(.:format)` (guides: Routing, "Formats"; Journey): `/photos/1.json` is
   * `/photos/1`, format json
   */
  'format-suffix': {
    touches: /\./,
    kind: 'alternative',
    read: (path) => stripSuffix(path, true),
  },
  /**
   * Spring MVC ≤ 5.2 useSuffixPatternMatch (on by default until 5.3): `/users` also matches `/users.*`, from the
   * first dot
   */
  'suffix-pattern': {
    touches: /\./,
    kind: 'alternative',
    read: (path) => stripSuffix(path, false),
  },
  /**
   * Express (strict routing off), Rails (Journey normalize_path), Laravel, Spring ≤ 5.3 (trailing slash match),
   * ASP.NET Core: `/a/` is `/a`
   */
  'trailing-slash': {
    touches: /.\/$/,
    kind: 'alternative',
    read: (path) => {
      if (path.length <= 1 || path.charCodeAt(path.length - 1) !== 47) return path;
      return path.replace(/\/+$/, '') || '/';
    },
  },
  /**
   * Express (case sensitive routing off, path-to-regexp with the `i` flag), IIS/ASP.NET, Spring with
   * setCaseSensitive(false): ASCII letters in either case
   */
  'case-fold': {
    touches: /[A-Z]/,
    kind: 'rewrite',
    // The path is unchanged: the method map folds both sides (route-trie.ts).
    read: (path) => path,
    foldsCase: true,
  },
  /**
   * ASP.NET Core routing (StringComparison.OrdinalIgnoreCase), Java equalsIgnoreCase: letters outside ASCII fold too,
   * `ı` `İ` `ſ` `K` to `i` `i` `s` `k`
   */
  'case-fold-unicode': {
    touches: /[A-Z%]/,
    kind: 'rewrite',
    read: foldUnicode,
    foldsCase: true,
  },
} as const satisfies Record<string, Reading>;

export type ReadingName = keyof typeof READINGS;
export const READING_NAMES = Object.keys(READINGS) as ReadingName[];

/** What one kind of origin does: its readings, applied in READINGS order. */
export interface ReadingPlan {
  /** The profile it comes from, for messages. */
  readonly name: string;
  readonly readings: readonly ReadingName[];
}

/** One path to look up, and whether its letters compare with the routes' case-insensitively. */
export interface ReadForm {
  readonly path: string;
  readonly caseInsensitive: boolean;
}

/** How some kinds of origin read the path: they run a route that matches any of its forms. */
export interface OriginReading {
  /** The profiles that read it this way. */
  readonly by: string[];
  readonly forms: readonly ReadForm[];
}

/** More forms than this from one request is a spelling built to make the guard work, not a URL. */
const MAX_FORMS = 32;
const CAPITAL = /[A-Z]/;
const DOT_SEGMENT = /\/\.{1,2}(\/|$)/;

/**
 * The distinct readings the `plans` make of `path`. A mode that cannot change
 * what matches is dropped, so most plans read most paths exactly and collapse
 * into one reading: folding a path without capitals when no route has one
 * (`caseMatters` false), stopping params at a dot in a path without one.
 */
export function readPath(
  path: string,
  plans: readonly ReadingPlan[],
  caseMatters: boolean,
  touches: RegExp,
): OriginReading[] | Ambiguous {
  // `touches`: every reading's trigger at once (profiles.ts); with routes spelled in capitals, folding
  // touches every path. Most paths touch none: one exact reading, no reading run.
  if (!touches.test(path) && !(caseMatters && touches.test('A'))) {
    return [{ by: plans.map((p) => p.name), forms: [{ path, caseInsensitive: false }] }];
  }
  const found: OriginReading[] = [];
  const signatures: string[] = [];
  const capital = caseMatters || CAPITAL.test(path);
  // Plans share readings: each reads the exact path once per request.
  const ofPath: Partial<Record<ReadingName, string | Ambiguous>> = {};
  const read = (name: ReadingName, from: string) => {
    if (from !== path) return READINGS[name].read(from);
    const once = ofPath[name] ?? READINGS[name].read(path);
    ofPath[name] = once;
    return once;
  };
  for (const plan of plans) {
    let current = path;
    let folds = false;
    for (const name of plan.readings) {
      const reading: Reading = READINGS[name];
      if (reading.kind !== 'rewrite') continue;
      const next = checked(read(name, current), current, name);
      if (typeof next !== 'string') return next;
      current = next;
      folds ||= reading.foldsCase === true;
    }
    // Most plans read most paths exactly: no allocation until a reading changes something.
    let paths: string[] | null = null;
    for (const name of plan.readings) {
      const reading: Reading = READINGS[name];
      if (reading.kind !== 'alternative') continue;
      const count = paths === null ? 1 : paths.length;
      for (let i = 0; i < count; i++) {
        const from = paths === null ? current : (paths[i] as string);
        const next = checked(read(name, from), from, name);
        if (typeof next !== 'string') return next;
        if (next === from) continue;
        paths ??= [current];
        if (!paths.includes(next)) paths.push(next);
      }
    }
    if (paths === null && current === path && !(folds && capital)) {
      add(found, signatures, '', plan.name, null, path);
      continue;
    }
    if (paths !== null && paths.length > MAX_FORMS) return { ambiguous: 'the path reads as too many different paths' };
    const forms = (paths ?? [current]).map((p) => ({
      path: p,
      caseInsensitive: folds && (caseMatters || CAPITAL.test(p)),
    }));
    const signature = forms.map((f) => `${f.caseInsensitive ? 'i' : '-'}${f.path}`).join(' ');
    add(found, signatures, signature, plan.name, forms, path);
  }
  return found;
}

function add(
  found: OriginReading[],
  signatures: string[],
  signature: string,
  by: string,
  /** null: the exact path alone. */
  forms: readonly ReadForm[] | null,
  path: string,
): void {
  const at = signatures.indexOf(signature);
  if (at !== -1) (found[at] as OriginReading).by.push(by);
  else {
    signatures.push(signature);
    found.push({ by: [by], forms: forms ?? [{ path, caseInsensitive: false }] });
  }
}

/** A changed path with its slashes merged, or ambiguous if the change uncovered a dot segment. */
function checked(read: string | Ambiguous, from: string, name: string): string | Ambiguous {
  if (typeof read !== 'string' || read === from) return read;
  const merged = read.includes('//') ? read.replace(/\/{2,}/g, '/') : read;
  // The origin resolves a dot segment the reading uncovered; the URL parser never saw it.
  if (DOT_SEGMENT.test(merged))
    return { ambiguous: `${name} reads it as ${merged}, a dot segment the origin resolves` };
  return merged;
}
