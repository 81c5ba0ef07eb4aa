/** itty's AutoRouter with the site's routes (src/routes.ts), each forwarding to the origin. */
import { AutoRouter } from 'itty-router';
import site from '../../src/routes.ts';
import { forward } from './forward.ts';

const router = AutoRouter();
for (const [method, , , path] of site.routes) router[method.toLowerCase() as 'get'](path as string, forward);

export default router;
