/**
 * Method-override smuggling ("HTTP verb tampering").
 *
 * Many origin frameworks (Express method-override, Symfony, Laravel, ASP.NET,
 * Google APIs) treat these as the real method. A guard that checks only the
 * request line would let `POST` + `X-HTTP-Method-Override: DELETE` through to an
 * origin that then runs DELETE. So every override is an effective method too.
 */

/** Header (as Headers.get takes it) → how error messages name it. */
export const OVERRIDE_HEADERS: Readonly<Record<string, string>> = {
  'x-http-method-override': 'X-HTTP-Method-Override',
  'x-http-method': 'X-HTTP-Method',
  'x-method-override': 'X-Method-Override',
};
export const OVERRIDE_QUERY_PARAM = '_method';

export interface Override {
  /** Where it came from, e.g. `X-HTTP-Method-Override` or `?_method`. */
  readonly source: string;
  /** The value as sent (trimmed). */
  readonly value: string;
}

/** Every override the request carries, in a fixed order. */
export function methodOverrides(headers: Headers, search: string): Override[] {
  const found: Override[] = [];
  for (const [name, source] of Object.entries(OVERRIDE_HEADERS)) {
    const value = headers.get(name);
    if (value === null) continue;
    // Headers.get joins repeated fields with ", ": each one counts.
    for (const part of value.split(',')) found.push({ source, value: part.trim() });
  }
  if (search === '') return found;
  for (const value of new URLSearchParams(search).getAll(OVERRIDE_QUERY_PARAM)) {
    found.push({ source: `?${OVERRIDE_QUERY_PARAM}`, value: value.trim() });
  }
  return found;
}

/** The query string without any `_method` parameter, other bytes untouched. */
export function searchWithoutOverride(search: string): string {
  if (search === '') return '';
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => {
      const name = pair.split('=')[0] ?? '';
      try {
        return decodeURIComponent(name.replace(/\+/g, ' ')) !== OVERRIDE_QUERY_PARAM;
      } catch {
        return true;
      }
    });
  return kept.length ? `?${kept.join('&')}` : '';
}
