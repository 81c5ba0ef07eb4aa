/**
 * Example rule set: a static site with a contact form and an admin area.
 *
 * Pages and assets are read-only. The contact form page is GET, its endpoint
 * POST, and the edge refuses a POST that is not a form before the origin sees it.
 * The admin area sits behind Cloudflare Access: the edge answers 403 to a request
 * Access did not authenticate, and forwards the rest.
 *
 * Try it: `npm run routes -- examples/static-site/routes.ts`.
 */
import { type IRequest, Router } from 'itty-router';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** A form POST goes to the origin; anything else is refused here. Returning nothing forwards. */
function formOnly(request: IRequest): Response | undefined {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FORM_TYPES.includes(type)) {
    return new Response('415 Unsupported Media Type: send the contact form\n', {
      status: 415,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return undefined;
}

/**
 * Cloudflare Access adds this header to every request it has authenticated. A client
 * can send it too wherever Access is not in front, so this only turns anonymous
 * traffic away early: the origin still verifies the Cf-Access-Jwt-Assertion JWT.
 */
function accessOnly(request: IRequest): Response | undefined {
  if (request.headers.has('cf-access-authenticated-user-email')) return undefined;
  return new Response('403 Forbidden: sign in through Cloudflare Access\n', {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

const router = Router();

router
  // Pages and assets: GET (and so HEAD) only.
  .get('/')
  .get('/about')
  .get('/blog/*')
  .get('/assets/*')
  .get('/favicon.ico')
  .get(
    '/robots.txt',
    () => new Response('User-agent: *\nDisallow: /admin/\n', { headers: { 'content-type': 'text/plain' } }),
  )
  // The contact form: the page, and its endpoint.
  .get('/contact')
  .post('/contact', formOnly)
  // The admin area: pages and their forms, and uploads.
  .get('/admin/*', accessOnly)
  .post('/admin/*', accessOnly)
  .put('/admin/uploads/:file', accessOnly)
  .delete('/admin/uploads/:file', accessOnly);

export default router;
