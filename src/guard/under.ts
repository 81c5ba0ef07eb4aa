/**
 * Middleware on a subtree that opens no method. The usual itty idiom for auth on
 * a prefix, `router.all('/admin/*', requireAuth)`, is a route: it declares every
 * method under `/admin`, so the guard could never answer 405 there (the route
 * lint's `all-subtree` error). `before` middleware runs on every request and
 * declares nothing; `under` narrows it to one subtree:
 *
 *     Router({ before: [under('/admin/*', requireAuth)] })
 *       .get('/admin/users')
 *       .post('/admin/users')
 */
import { canonicalPath } from './request/canonical.ts';
import { isSubtree, isUnder } from './request/subtree.ts';
import { requestTarget } from './request/target.ts';

/**
 * Runs `handler` for every request whose path is in the subtree `prefix`
 * (`/admin/*`: `/admin` and below; `/admin` alone means the same), in any ASCII
 * case and any spelling that reads as such a path (`/%61dmin/x`): wherever the
 * origin may serve `/admin`, the handler runs. Its result is itty's: a Response
 * answers, nothing lets the request go on. Other paths pass untouched.
 * A prefix that is not a plain path throws when the rules load, not per request.
 */
export function under<Req extends { readonly url: string }, Args extends unknown[], Out>(
  prefix: string,
  handler: (request: Req, ...args: Args) => Out,
): (request: Req, ...args: Args) => Out | undefined {
  const subtree = prefix.endsWith('/*') ? prefix : `${prefix.replace(/\/$/, '')}/*`;
  if (!isSubtree(subtree)) {
    throw new TypeError(
      `method-guard: under(${JSON.stringify(prefix)}): expected a path prefix such as "/admin" or "/admin/*" (letters, digits, -._~ in each segment)`,
    );
  }
  return (request, ...args) => {
    const canonical = canonicalPath(requestTarget(request.url).pathname);
    // A path with no single reading (the guard refuses it in enforce mode) gets the handler: when in doubt, check.
    if (!canonical.ok || isUnder(canonical.path, subtree)) return handler(request, ...args);
    return undefined;
  };
}
