import type { RouterType } from 'itty-router';

/** What the guard needs of the site's itty router: its route entries and its dispatch. */
export type SiteRouter = Pick<RouterType, 'routes' | 'fetch'>;

/**
 * Where a guard keeps its router, for the CLI (`method-guard routes src/index.ts`
 * reads the rules of a module that exports the guard). A registered symbol: the
 * runtime never enumerates it, and a CLI loaded from another copy finds it too.
 */
export const GUARDED_ROUTER: unique symbol = Symbol.for('method-guard.router');

/**
 * A router's own middleware list (`Router({ before, finally })` spreads its options
 * onto the router). Reading `router.before` directly is wrong: an itty router's
 * prototype is a Proxy that turns every unknown property into a route method.
 */
export function middleware(router: object, key: 'before' | 'finally'): readonly unknown[] {
  const value = Object.hasOwn(router, key) ? (router as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
}
