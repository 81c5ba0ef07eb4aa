/**
 * `createGuard(app)` for an AutoRouter app that answers everything itself and
 * sets no ORIGIN: the guard only turns wrong methods into 405 + Allow.
 */
import { AutoRouter } from 'itty-router';
import { createGuard } from 'method-guard';
import { describe, expect, it } from 'vitest';

const app = AutoRouter()
  .get('/items', () => [{ id: 1 }])
  .post('/items', async (request) => ({ created: await request.json() }))
  .get('/items/:id', ({ id }) => ({ id }))
  .delete('/items/:id', () => new Response(null, { status: 204 }));

// No env at all: no ORIGIN, every other setting at its default.
const guard = createGuard(app);

describe('an AutoRouter app with no ORIGIN', () => {
  it('answers a wrong method with 405 and Allow in canonical order', async () => {
    const response = await guard.fetch(new Request('http://app.test/items/7', { method: 'PUT' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
  });

  it('passes an allowed request to the app, which answers it', async () => {
    const response = await guard.fetch(new Request('http://app.test/items/7'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '7' });
  });

  it('passes an allowed request body to the app', async () => {
    const response = await guard.fetch(
      new Request('http://app.test/items', { method: 'POST', body: JSON.stringify({ name: 'x' }) }),
    );
    expect(await response.json()).toEqual({ created: { name: 'x' } });
  });

  it("leaves paths no route declares to the app's own 404", async () => {
    const response = await guard.fetch(new Request('http://app.test/nowhere', { method: 'POST' }));
    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const response = await guard.fetch(new Request('http://app.test/items', { method: 'OPTIONS' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('answers HEAD from the GET route without a body', async () => {
    const response = await guard.fetch(new Request('http://app.test/items', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
