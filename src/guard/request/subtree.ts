/**
 * Subtrees of the path space, written as itty writes them: `/admin/*` is `/admin`
 * and everything below it (not `/adminx`). Shared by the per-subtree unmatched
 * policy (UNMATCHED_404) and the `under()` middleware, so both close the same paths.
 */

/** Segments of RFC 3986 unreserved characters: what a canonical path keeps as it is. */
const SUBTREE = /^(?:\/[A-Za-z0-9\-._~]+)*\/\*$/;

export function isSubtree(prefix: string): boolean {
  return SUBTREE.test(prefix);
}

/**
 * Is the canonical `path` in the subtree `prefix` (`/admin/*`)? ASCII case is
 * ignored: an origin that folds case (Express, ASP.NET) reads `/ADMIN/x` as
 * `/admin/x`, so a subtree must take in that spelling too.
 */
export function isUnder(path: string, prefix: string): boolean {
  const base = prefix.slice(0, -2);
  if (path.length < base.length) return false;
  const head = path.slice(0, base.length);
  if (head !== base && head.toLowerCase() !== base.toLowerCase()) return false;
  return path.length === base.length || path.charCodeAt(base.length) === 47;
}
