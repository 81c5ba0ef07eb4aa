/**
 * The site's rules: the one file you edit. Written with itty-router's own API.
 *
 * - A route with no handler (or whose handlers return nothing) allows its method:
 *   the request is forwarded to the origin untouched.
 * - A handler that returns a Response answers at the edge.
 * - A path some route matches, asked with a method no matching route allows,
 *   gets 405 with `Allow` (GET implies HEAD; OPTIONS is always answered).
 * - A path no route matches follows UNMATCHED (forward by default, or 404).
 */
import { Router } from 'itty-router';

const router = Router();

router
  // The seed example: GET /hello is served by the origin; POST /hello is 405.
  .get('/hello')
  // A REST collection and its items.
  .get('/api/items')
  .post('/api/items')
  .get('/api/items/:id')
  .put('/api/items/:id')
  .patch('/api/items/:id')
  .delete('/api/items/:id')
  // Answered at the edge, never reaching the origin.
  .get('/health', () => new Response('ok\n', { headers: { 'content-type': 'text/plain' } }))
  // Static files: read-only, whatever the depth.
  .get('/static/*');

export default router;
