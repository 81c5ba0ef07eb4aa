/**
 * Which allowed requests need the site's own handlers (src/routes.ts) to run.
 * Most rules have no handler ("allowed: forward"); skipping itty's dispatch for
 * them keeps a forward close to the cost of a bare pass-through Worker.
 */
import { middleware, type SiteRouter } from './site-router.ts';

/** Would itty run any handler (or middleware) for this method on this canonical path? */
export type RunsHandlers = (method: string, path: string) => boolean;

export function handlerRunner(router: SiteRouter): RunsHandlers {
  // Middleware runs on every request.
  if (middleware(router, 'before').length + middleware(router, 'finally').length > 0) return () => true;
  const routes = router.routes
    .filter(([, , handlers]) => handlers.length > 0)
    .map(([method, match]) => ({ method: String(method).toUpperCase(), match }));
  if (routes.length === 0) return () => false;
  // The same test itty's dispatch loop makes: method (or ALL), then its RegExp on the pathname.
  return (method, path) => routes.some((r) => (r.method === method || r.method === 'ALL') && r.match.test(path));
}
