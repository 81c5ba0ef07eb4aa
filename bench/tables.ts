/**
 * REST-style route tables of a given size, the same routes for every router
 * measured, and the three requests the decision benchmark asks about.
 */

export interface Route {
  readonly method: string;
  /** itty syntax; Hono reads these forms (`:id`, trailing `*`) the same way. */
  readonly path: string;
}

/** Ten routes a resource: a collection, its items, a nested collection, and static files. */
const RESOURCE: readonly ((name: string) => Route)[] = [
  (r) => ({ method: 'GET', path: `/api/v1/${r}` }),
  (r) => ({ method: 'POST', path: `/api/v1/${r}` }),
  (r) => ({ method: 'GET', path: `/api/v1/${r}/:id` }),
  (r) => ({ method: 'PUT', path: `/api/v1/${r}/:id` }),
  (r) => ({ method: 'PATCH', path: `/api/v1/${r}/:id` }),
  (r) => ({ method: 'DELETE', path: `/api/v1/${r}/:id` }),
  (r) => ({ method: 'GET', path: `/api/v1/${r}/:id/comments` }),
  (r) => ({ method: 'POST', path: `/api/v1/${r}/:id/comments` }),
  (r) => ({ method: 'GET', path: `/api/v1/${r}/:id/comments/:commentId` }),
  (r) => ({ method: 'GET', path: `/assets/${r}/*` }),
];

const NAMES = ['users', 'orders', 'products', 'invoices', 'teams', 'projects', 'tickets', 'files', 'events', 'reports'];

const resourceName = (i: number) => `${NAMES[i % NAMES.length]}${i < NAMES.length ? '' : Math.floor(i / NAMES.length)}`;

/** `size` routes (a multiple of ten): size / 10 resources. */
export function routeTable(size: number): Route[] {
  const routes: Route[] = [];
  for (let i = 0; i < size / RESOURCE.length; i++) for (const route of RESOURCE) routes.push(route(resourceName(i)));
  return routes;
}

export interface Probe {
  readonly name: 'allowed' | '405' | 'unmatched';
  readonly method: string;
  readonly path: string;
}

/**
 * The last resource in the table: a first-match scan reaches it last. (The
 * guard unions every matching route, so for it the position does not matter.)
 */
export function probes(size: number): Probe[] {
  const last = resourceName(size / RESOURCE.length - 1);
  return [
    { name: 'allowed', method: 'GET', path: `/api/v1/${last}/42/comments/7` },
    { name: '405', method: 'DELETE', path: `/api/v1/${last}` },
    { name: 'unmatched', method: 'GET', path: '/blog/2024/hello-world' },
  ];
}

export const SIZES = [10, 100, 1000] as const;
