import { describe, expect, it } from 'vitest';
import { allowTableTests, probeGuard } from '../allow-table.ts';
import router from './routes.ts';

/** Allow(U) for one path of each pattern: the contract this example promises. */
const ALLOW_TABLE: Record<string, string> = {
  '/': 'GET, HEAD, OPTIONS',
  '/about': 'GET, HEAD, OPTIONS',
  '/blog/2026/edge-guards': 'GET, HEAD, OPTIONS',
  '/assets/css/site.css': 'GET, HEAD, OPTIONS',
  '/favicon.ico': 'GET, HEAD, OPTIONS',
  '/robots.txt': 'GET, HEAD, OPTIONS',
  '/contact': 'GET, HEAD, POST, OPTIONS',
  '/admin/pages/home': 'GET, HEAD, POST, OPTIONS',
  '/admin/uploads/logo.png': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
};
const SIGNED_IN = { 'cf-access-authenticated-user-email': 'editor@example.com' };

const guard = probeGuard(router);

describe('example: static site with a form endpoint and an admin area', () => {
  // Signed in, so that the admin area's edge check lets the 405s through to be tested.
  allowTableTests(router, ALLOW_TABLE, { headers: SIGNED_IN });

  it('refuses a POST to a page, even a deep blog page, with 405', async () => {
    const response = await guard.fetch('POST', '/blog/2026/edge-guards', { body: 'comment=hi' });
    expect(response.status).toBe(405);
  });

  it('lets a page GET through to the origin', () => {
    expect(guard.decision('GET', '/blog/2026/edge-guards')).toMatchObject({ action: 'pass', unmatched: false });
  });

  it('serves robots.txt at the edge, keeping crawlers out of /admin/', async () => {
    expect(await (await guard.fetch('GET', '/robots.txt')).text()).toContain('Disallow: /admin/');
  });

  it('refuses a contact POST that is not a form with 415 at the edge', async () => {
    const response = await guard.fetch('POST', '/contact', {
      headers: { 'content-type': 'application/json' },
      body: '{"message":"hi"}',
    });
    expect(response.status).toBe(415);
  });

  it('lets a contact form POST through to the origin', () => {
    expect(guard.decision('POST', '/contact')).toMatchObject({ action: 'pass', unmatched: false });
  });

  it('refuses an admin request Cloudflare Access did not authenticate with 403 at the edge', async () => {
    expect((await guard.fetch('GET', '/admin/pages/home')).status).toBe(403);
  });

  it('refuses an anonymous admin upload with 403 at the edge', async () => {
    expect((await guard.fetch('PUT', '/admin/uploads/logo.png', { body: 'png' })).status).toBe(403);
  });

  it('refuses DELETE outside uploads with 405 before checking who asks', async () => {
    const response = await guard.fetch('DELETE', '/admin/pages/home');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });
});
