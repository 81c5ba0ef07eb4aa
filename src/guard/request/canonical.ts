/**
 * One canonical path, used both to decide and to forward, so the origin reads
 * exactly what the guard checked.
 *
 * workerd hands the Worker a WHATWG-parsed URL: `.`/`..` segments (also `%2e`)
 * are already resolved, but `//`, `;` and `%61`-style encodings are kept. Origins
 * then decode, merge and strip paths in their own ways; anything whose reading
 * depends on the origin is refused rather than guessed.
 */

export interface CanonicalOptions {
  /** `/a/` is a different path from `/a` (default: matched as `/a`). */
  readonly strictTrailingSlash: boolean;
  /** Match case-insensitively, for origins that read paths that way. */
  readonly caseInsensitive: boolean;
}

export type CanonicalPath =
  /** `path` is forwarded; `key` is what routes are matched against. */
  { readonly ok: true; readonly path: string; readonly key: string } | { readonly ok: false; readonly reason: string };

// RFC 3986 §2.3: decoding these never changes what a path means.
const UNRESERVED = /[A-Za-z0-9\-._~]/;

const refuse = (reason: string): CanonicalPath => ({ ok: false, reason });

export function canonicalPath(rawPath: string, options: CanonicalOptions): CanonicalPath {
  let path = '';
  for (let i = 0; i < rawPath.length; i++) {
    const ch = rawPath[i] as string;
    if (ch === '%') {
      const hex = rawPath.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return refuse(`invalid percent-encoding "${rawPath.slice(i, i + 3)}"`);
      const code = Number.parseInt(hex, 16);
      const decoded = String.fromCharCode(code);
      // An encoded separator is a second path structure the origin may or may not see.
      if (decoded === '/' || decoded === '\\') return refuse(`encoded path separator "%${hex}"`);
      if (code < 0x20 || code === 0x7f) return refuse(`encoded control character "%${hex}"`);
      path += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (ch === '\\') {
      return refuse('backslash in path');
    } else if (ch === ';') {
      // Java-style origins strip `;params` from segments: /admin;x=1/report is /admin/report there.
      return refuse('";" path parameter');
    } else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) {
      return refuse('control character in path');
    } else {
      path += ch;
    }
  }
  path = path.replace(/\/{2,}/g, '/');
  if (!path.startsWith('/')) path = `/${path}`;
  // Decoding %2E could rebuild a dot segment the URL parser would have resolved.
  if (/\/\.{1,2}(\/|$)/.test(path)) return refuse('dot segment in path');

  let key = options.caseInsensitive ? path.toLowerCase() : path;
  if (!options.strictTrailingSlash && key.length > 1 && key.endsWith('/')) key = key.slice(0, -1);
  return { ok: true, path, key };
}
