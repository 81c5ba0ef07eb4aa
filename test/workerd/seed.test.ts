import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('the seed example inside workerd', () => {
  it('forwards GET /hello to the origin', async () => {
    const response = await exports.default.fetch('http://guard.test/hello');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reached: 'origin', method: 'GET', url: '/hello' });
  });

  it('answers POST /hello with 405 and Allow: GET, HEAD, OPTIONS', async () => {
    const response = await exports.default.fetch('http://guard.test/hello', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
