/**
 * Loading a routes module (one whose default export is an itty Router) for the
 * CLI commands that read one: `routes`, `openapi check`, `openapi export`.
 */
import { registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GUARDED_ROUTER } from '../guard/site-router.ts';
import type { RouterLike } from './route-table.ts';

/** Why `value` is not an itty router, or undefined when it is one. */
export function notARouter(value: unknown): string | undefined {
  if (typeof value !== 'object' && typeof value !== 'function') return 'there is no default export';
  if (value === null) return 'the default export is null';
  const name = (value as object).constructor?.name;
  if (name === 'Hono') {
    return "the default export is a Hono app; method-guard reads itty-router's route table: export default Router() from 'itty-router'";
  }
  const routes = (value as { routes?: unknown }).routes;
  // itty's route entry: [METHOD, RegExp, handlers, path].
  const ittyEntry = (entry: unknown) =>
    Array.isArray(entry) && typeof entry[0] === 'string' && entry[1] instanceof RegExp && Array.isArray(entry[2]);
  if (Array.isArray(routes) && routes.every(ittyEntry)) return undefined;
  if (typeof (value as { fetch?: unknown }).fetch === 'function' && routes === undefined) {
    return 'the default export is a Worker ({ fetch }), not its router: give the module that exports the router (export default Router())';
  }
  return `the default export${name && name !== 'Object' ? ` (a ${name})` : ''} is not an itty router: export default Router() from 'itty-router'`;
}

const BARE_SPECIFIER = /^(?![./]|[a-z][a-z0-9+.-]*:)/i;
let fallbackResolution = false;

/**
 * A rules file may sit where no `node_modules` holds itty-router (a generated
 * file in /tmp, a scratch copy): Node resolves its bare imports from the
 * file's own folder only. When that fails, try the current project's folder,
 * then the CLI's own installation, which has itty-router as a peer.
 */
function resolveBareImportsFromProject(): void {
  if (fallbackResolution) return;
  fallbackResolution = true;
  const parents = [pathToFileURL(resolve('package.json')).href, import.meta.url];
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!BARE_SPECIFIER.test(specifier) || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND')
          throw error;
        for (const parentURL of parents) {
          try {
            return nextResolve(specifier, { ...context, parentURL });
          } catch {}
        }
        throw error;
      }
    },
  });
}

/** The module's router, or an error message naming `source` and the problem. */
export async function loadRouter(
  file: string,
  source: string,
): Promise<{ ok: true; router: RouterLike } | { ok: false; error: string }> {
  let router: unknown;
  resolveBareImportsFromProject();
  try {
    router = ((await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }).default;
  } catch (error) {
    return { ok: false, error: `${source}: cannot load: ${error instanceof Error ? error.message : String(error)}` };
  }
  // A module that exports the guard (`export default createGuard(router)`) is read for its router.
  if (typeof router === 'object' && router !== null && GUARDED_ROUTER in router) router = router[GUARDED_ROUTER];
  const problem = notARouter(router);
  if (problem !== undefined) return { ok: false, error: `${source}: ${problem}` };
  return { ok: true, router: router as RouterLike };
}
