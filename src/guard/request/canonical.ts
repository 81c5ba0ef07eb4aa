/**
 * One canonical path, used both to decide and to forward, so the origin reads
 * exactly what the guard checked.
 *
 * workerd hands the Worker a WHATWG-parsed URL: `.`/`..` segments (also `%2e`)
 * are already resolved, but `//`, `;` and `%61`-style encodings are kept. Here
 * unreserved characters are decoded, other escapes get uppercase hex and runs of
 * slashes are merged. How origins then read this path differently (case, `.json`,
 * `;params`, …) is readings.ts; what is refused here is what no origin reading
 * can be trusted with: spellings whose meaning depends on how many times, or how
 * leniently, the origin decodes.
 */

export type CanonicalPath =
  /** `path` is what is matched (through the readings) and forwarded. */
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

// RFC 3986 §2.3: decoding these never changes what a path means.
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Escapes in the canonical path that no reading can be trusted with. Each would
 * read as a different path to an origin that decodes once more, or leniently.
 */
const AMBIGUOUS_ESCAPES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  // Tomcat, Jetty and Spring strip `;params` before decoding, nginx's proxy_pass with a URI
  // decodes first (then a Java backend strips what was %3B): the two orders read different paths.
  { pattern: /%3B/, reason: 'encoded ";" ("%3B"): origins disagree on whether it starts path parameters' },
  // A second decoding (IIS "double decoding", an nginx that decodes before proxying, apps calling
  // urldecode on a decoded path) turns %25XX into any character, `/` and `..` included.
  // `%25uXXXX` is the same for IIS's `%u` escapes.
  {
    pattern: /%25(?:[0-9A-Fa-f]{2}|[uU][0-9A-Fa-f]{4})/,
    reason: 'double encoding ("%25" followed by an escape): an origin that decodes twice reads another character',
  },
];

const refuse = (reason: string): CanonicalPath => ({ ok: false, reason });

/**
 * What the loop below would change or refuse: an escape, a backslash, a control
 * character, a run of slashes, a dot segment. Most paths have none of these and
 * are their own canonical form; one RegExp test finds that without building the
 * path again a character at a time (in workerd that loop cost ~35k instructions
 * for a 10-character path, bench/instructions.ts).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what the loop refuses.
const NEEDS_WORK = /[%\\\x00-\x1f\x7f]|\/\/|\/\.{1,2}(?:\/|$)/;

export function canonicalPath(rawPath: string): CanonicalPath {
  if (rawPath.startsWith('/') && !NEEDS_WORK.test(rawPath)) return { ok: true, path: rawPath };
  let path = '';
  let escaped = false;
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
      if (UNRESERVED.test(decoded)) path += decoded;
      else {
        path += `%${hex.toUpperCase()}`;
        escaped = true;
      }
      i += 2;
    } else if (ch === '\\') {
      return refuse('backslash in path');
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
  if (escaped) {
    for (const { pattern, reason } of AMBIGUOUS_ESCAPES) if (pattern.test(path)) return refuse(reason);
    const utf8 = invalidUtf8(path);
    if (utf8 !== null) return refuse(utf8);
  }
  return { ok: true, path };
}

/** A run of escapes: one UTF-8 character's bytes are always escaped side by side. */
const ESCAPE_RUN = /(?:%[0-9A-F]{2})+/g;

/**
 * RFC 3629 §4: the escapes of bytes ≥ 0x80 must spell well-formed UTF-8. An
 * overlong form (`%C0%AF` for `/`), a surrogate or a stray byte reads as `/`,
 * `.` or U+FFFD depending on the decoder (IIS, old Tomcat and Java's modified
 * UTF-8 were each bypassed this way). decodeURIComponent refuses exactly those
 * (ECMA-262 Decode: a URIError unless the octets are valid UTF-8 per RFC 3629).
 * Returns why, or null when well-formed.
 */
function invalidUtf8(path: string): string | null {
  try {
    decodeURIComponent(path);
    return null;
  } catch {}
  // Which run: the message quotes it.
  for (const [run] of path.matchAll(ESCAPE_RUN)) {
    try {
      decodeURIComponent(run);
    } catch {
      return `invalid or overlong UTF-8 in percent-encoding "${run.length > 36 ? `${run.slice(0, 36)}…` : run}"`;
    }
  }
  return null;
}
