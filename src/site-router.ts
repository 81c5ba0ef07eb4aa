import type { RouterType } from 'itty-router';

/** What the guard needs of the site's itty router: its route entries and its dispatch. */
export type SiteRouter = Pick<RouterType, 'routes' | 'fetch'>;
