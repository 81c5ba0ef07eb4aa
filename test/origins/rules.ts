/**
 * One rule set, declared twice: as the guard's itty Router (test/fixtures/frameworks-worker.ts)
 * and, by each origin app in test/origins/, in its own framework's routing. The apps read it as
 * JSON from the ORIGIN_RULES environment variable (test/support/frameworks.ts sets it).
 *
 * Every origin implements EVERY method of `methods` on every route, in that order: the handlers the
 * edge exists to hide (an admin DELETE, a PUT nobody tested). `allow` is what the guard permits;
 * a record of a handler running with a method outside `allow` is a bypass.
 *
 * Paths use itty/Express syntax (`:param`); each app translates it (Symfony `{param}`, Flask `<param>`).
 * Order matters where routes overlap: `/photos/new` comes before `/photos/:id`, as Rails' `resources` draws them.
 */
export interface Rule {
  /** The handler's name, recorded by the origin when it runs. */
  readonly name: string;
  readonly path: string;
  /** Methods the guard allows (GET implies HEAD). */
  readonly allow: readonly string[];
  /** A concrete path the route matches, the base every corpus spelling starts from. */
  readonly sample: string;
}

export interface Rules {
  /** Methods every origin handler answers to. */
  readonly methods: readonly string[];
  readonly routes: readonly Rule[];
}

export const rules: Rules = {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  routes: [
    // A REST collection and its items, with different methods.
    { name: 'articles#index', path: '/articles', allow: ['GET', 'POST'], sample: '/articles' },
    { name: 'articles#show', path: '/articles/:id', allow: ['GET', 'PATCH', 'DELETE'], sample: '/articles/42' },
    // A nested item.
    {
      name: 'comments#show',
      path: '/articles/:article_id/comments/:id',
      allow: ['GET'],
      sample: '/articles/42/comments/7',
    },
    // A singular resource edited by a form (POST + `_method=patch`, as Rails and Laravel send it), never deleted.
    { name: 'settings#show', path: '/account/settings', allow: ['GET', 'POST', 'PATCH'], sample: '/account/settings' },
    // Read-only.
    { name: 'reports#index', path: '/reports', allow: ['GET'], sample: '/reports' },
    // Rails reads /photos/new.json as /photos/new (POST allowed), a suffix-blind router as /photos/:id (GET only).
    { name: 'photos#new', path: '/photos/new', allow: ['GET', 'POST'], sample: '/photos/new' },
    { name: 'photos#show', path: '/photos/:id', allow: ['GET'], sample: '/photos/9' },
  ],
};

/** A route's allowed methods, with HEAD implied by GET (RFC 9110 §9.3.2). */
export function allowedOn(rule: Rule): Set<string> {
  const allowed = new Set(rule.allow);
  if (allowed.has('GET')) allowed.add('HEAD');
  return allowed;
}
