/** Hono (RegExpRouter) with the site's routes (src/routes.ts), each forwarding to the origin. */
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import site from '../../src/routes.ts';
import { forward } from './forward.ts';

const app = new Hono<{ Bindings: { ORIGIN: string } }>({ router: new RegExpRouter() });
for (const [method, , , path] of site.routes) app.on(method, path as string, (c) => forward(c.req.raw, c.env));

export default app;
