/**
 * Example rule set: a REST API with nested resources.
 *
 * Users own projects, projects hold tasks and comments. Collections take GET and
 * POST, items GET/PATCH/DELETE (users may also be replaced with PUT), and actions
 * are POST-only sub-resources. Everything is forwarded to the API origin except
 * the health check, answered at the edge.
 *
 * Try it: `npm run routes -- examples/rest-api/routes.ts`.
 */
import { Router } from 'itty-router';

const router = Router({ base: '/api/v1' });

router
  .get('/health', () => Response.json({ ok: true }))
  // Users: the full set of item methods.
  .get('/users')
  .post('/users')
  .get('/users/:userId')
  .put('/users/:userId')
  .patch('/users/:userId')
  .delete('/users/:userId')
  // A user's projects.
  .get('/users/:userId/projects')
  .post('/users/:userId/projects')
  .get('/users/:userId/projects/:projectId')
  .patch('/users/:userId/projects/:projectId')
  .delete('/users/:userId/projects/:projectId')
  // An action is a POST-only sub-resource: archiving is not a PATCH of a field.
  .post('/users/:userId/projects/:projectId/archive')
  // Tasks inside a project.
  .get('/users/:userId/projects/:projectId/tasks')
  .post('/users/:userId/projects/:projectId/tasks')
  .get('/users/:userId/projects/:projectId/tasks/:taskId')
  .patch('/users/:userId/projects/:projectId/tasks/:taskId')
  .delete('/users/:userId/projects/:projectId/tasks/:taskId')
  // Comments are append-only: no PATCH, no DELETE.
  .get('/users/:userId/projects/:projectId/tasks/:taskId/comments')
  .post('/users/:userId/projects/:projectId/tasks/:taskId/comments');

export default router;
