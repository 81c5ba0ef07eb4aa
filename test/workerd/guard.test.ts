/** The guard inside workerd: what the runtime itself does with bodies, HEAD and OPTIONS. */
import { env, exports } from 'cloudflare:workers';
import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/guard/guard.ts';

/** A request body that counts how often the runtime pulled from it. */
function countingBody(bytes: number) {
  const counter = { pulls: 0 };
  let left = bytes;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulls++;
      const size = Math.min(left, 64 * 1024);
      left -= size;
      if (size === 0) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, counter };
}

describe('inside workerd', () => {
  it('never reads the body of a request it refuses', async () => {
    const { stream, counter } = countingBody(10 * 1024 * 1024);
    const response = await exports.default.fetch('http://guard.test/hello', { method: 'POST', body: stream });
    expect(response.status).toBe(405);
    // 10 MiB is 160 chunks; the runtime may prefetch a couple into its pipe, no more.
    expect(counter.pulls).toBeLessThan(5);
  });

  it('streams the body of an allowed request to the origin, pulling every chunk', async () => {
    const { stream, counter } = countingBody(3 * 1024 * 1024);
    // Typed as what it is: a POST without a Content-Type is a form to Rack, read for its `_method` first.
    const headers = { 'content-type': 'application/octet-stream' };
    const response = await exports.default.fetch('http://guard.test/api/items', {
      method: 'POST',
      body: stream,
      headers,
    });
    expect(await response.json()).toMatchObject({ method: 'POST', url: '/api/items', bodyBytes: 3 * 1024 * 1024 });
    expect(counter.pulls).toBeGreaterThanOrEqual(48);
  });

  it('answers HEAD on an edge GET handler with the same headers, no body, and no Content-Length it would have to count', async () => {
    const get = await exports.default.fetch('http://guard.test/health');
    const head = await exports.default.fetch('http://guard.test/health', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBeNull();
    expect(await head.text()).toBe('');
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const response = await exports.default.fetch('http://guard.test/api/items/1', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
  });

  it('answers 404 for unmatched paths with UNMATCHED=404', async () => {
    const guard = createGuard(Router().get('/only'));
    const response = await guard.fetch(new Request('http://guard.test/other'), { ...env, UNMATCHED: '404' });
    expect(response.status).toBe(404);
  });

  it('answers 500 with a request id, not the error text, when a handler throws', async () => {
    const guard = createGuard(
      Router().get('/boom', () => {
        throw new Error('kaput');
      }),
    );
    const response = await guard.fetch(new Request('http://guard.test/boom'), env);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toMatch(/^500 Internal Server Error: a handler in src\/routes.ts failed \(request id [\w-]+\)\n$/);
    expect(body).not.toContain('kaput');
  });

  it('gives every edge answer headers of its own, though answers with the same Allow share one prebuilt set', async () => {
    const guard = createGuard(Router().get('/only'));
    const refuse = () => guard.fetch(new Request('http://guard.test/only', { method: 'DELETE' }), env);
    const options = () => guard.fetch(new Request('http://guard.test/only', { method: 'OPTIONS' }), env);
    for (const answer of [refuse, options]) {
      const first = await answer();
      first.headers.set('allow', 'EDITED');
      first.headers.set('x-added', '1');
      const next = await answer();
      expect(next.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(next.headers.has('x-added')).toBe(false);
    }
  });
});
