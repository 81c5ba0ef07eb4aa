import type { RouterType } from 'itty-router';

/** What the guard needs of the site's itty router: its route entries and its dispatch. */
export type SiteRouter = Pick<RouterType, 'routes' | 'fetch'>;

/**
 * A router's own middleware list (`Router({ before, finally })` spreads its options
 * onto the router). Reading `router.before` directly is wrong: an itty router's
 * prototype is a Proxy that turns every unknown property into a route method.
 */
export function middleware(router: object, key: 'before' | 'finally'): readonly unknown[] {
  const value = Object.hasOwn(router, key) ? (router as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
}
