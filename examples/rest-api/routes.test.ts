import { describe, expect, it } from 'vitest';
import { allowTableTests, probeGuard } from '../allow-table.ts';
import router from './routes.ts';

/** Allow(U) for one path of each pattern: the contract this example promises. */
const ALLOW_TABLE: Record<string, string> = {
  '/api/v1/health': 'GET, HEAD, OPTIONS',
  '/api/v1/users': 'GET, HEAD, POST, OPTIONS',
  '/api/v1/users/42': 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
  '/api/v1/users/42/projects': 'GET, HEAD, POST, OPTIONS',
  '/api/v1/users/42/projects/7': 'GET, HEAD, PATCH, DELETE, OPTIONS',
  '/api/v1/users/42/projects/7/archive': 'POST, OPTIONS',
  '/api/v1/users/42/projects/7/tasks': 'GET, HEAD, POST, OPTIONS',
  '/api/v1/users/42/projects/7/tasks/3': 'GET, HEAD, PATCH, DELETE, OPTIONS',
  '/api/v1/users/42/projects/7/tasks/3/comments': 'GET, HEAD, POST, OPTIONS',
};

const guard = probeGuard(router);

describe('example: REST API with nested resources', () => {
  allowTableTests(router, ALLOW_TABLE);

  it.each(Object.entries(ALLOW_TABLE).filter(([path]) => !path.endsWith('/health')))(
    'lets every allowed method on %s through to the API',
    (path, allow) => {
      for (const method of allow.split(', ').filter((m) => m !== 'OPTIONS')) {
        expect(guard.decision(method, path), `${method} ${path}`).toMatchObject({ action: 'pass', unmatched: false });
      }
    },
  );

  it('answers the health check at the edge', async () => {
    const response = await guard.fetch('GET', '/api/v1/health');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('keeps comments append-only: PATCH on a comment list is 405', async () => {
    expect((await guard.fetch('PATCH', '/api/v1/users/42/projects/7/tasks/3/comments')).status).toBe(405);
  });

  it('does not match an item id that spans two segments', () => {
    expect(guard.decision('DELETE', '/api/v1/users/42/extra')).toMatchObject({ action: 'pass', unmatched: true });
  });

  it('matches nothing outside the /api/v1 base', () => {
    expect(guard.decision('DELETE', '/users/42')).toMatchObject({ action: 'pass', unmatched: true });
  });
});
