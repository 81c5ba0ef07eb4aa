/**
 * Property, end to end: random route tables and hostile request spellings sent
 * on a real request line through workerd to a recording origin.
 * (a) 405 ⇔ the model says the canonical path matches and an effective method is
 *     not allowed; (c) the origin never receives a request the model disallows.
 * Replay a failure with PROPERTY_SEED=<seed> (fast-check prints seed and path).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { send } from '../support/http.ts';
import {
  askedMethods,
  effectiveMethods,
  ittyPath,
  type ModelOptions,
  modelAllows,
  modelDeclared,
  request,
  routeTable,
} from '../support/reference-model.ts';

const RUNS = Number(process.env.PROPERTY_E2E_RUNS ?? 10_000);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
const OPTIONS: ModelOptions = { strictTrailingSlash: true, caseInsensitive: true };

let guard: GuardServer;
beforeAll(async () => {
  guard = await startGuard(
    { STRICT_TRAILING_SLASH: 'true', CASE_INSENSITIVE: 'true', ORIGIN_PROFILE: 'strict' },
    'dynamic',
  );
});
afterAll(() => guard?.close());

describe('property: through workerd to a recording origin', () => {
  it(`(a) 405 ⇔ model refuses, (c) the origin never receives a disallowed request — ${RUNS} cases`, async () => {
    await fc.assert(
      fc.asyncProperty(routeTable, request, async (routes, req) => {
        const table = JSON.stringify(routes.map((r) => [r.method, ittyPath(r.segments)]));
        const before = guard.origin.requests.length;
        const headers: Record<string, string> = { 'x-test-routes': table };
        if (req.overrides.header) headers[req.overrides.header[0]] = req.overrides.header[1];
        const hasBody = !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(req.method);
        const response = await send(guard.url, req.target, {
          method: req.method,
          headers,
          body: hasBody ? 'x' : undefined,
        });

        // What arrives at the Worker is the WHATWG reading of the target (workerd parses it).
        const pathname = new URL(`http://guard.test${req.target}`).pathname;
        const declared = modelDeclared(routes, pathname, OPTIONS);
        const refused =
          declared !== null &&
          declared !== 'unmatched' &&
          askedMethods(req.method, req.overrides, declared.methods.has('OPTIONS') || declared.all).some(
            (m) => !modelAllows(declared, m),
          );
        expect(response.status === 405, `status ${response.status}`).toBe(refused);
        if (declared === null) expect(response.status).toBe(400);

        for (const seen of guard.origin.requests.slice(before)) {
          const seenUrl = new URL(`http://origin.test${seen.url}`);
          const atOrigin = modelDeclared(routes, seenUrl.pathname, OPTIONS);
          expect(atOrigin, `origin got an ambiguous path ${seen.url}`).not.toBeNull();
          if (atOrigin === null || atOrigin === 'unmatched') continue;
          const override = seen.headers[req.overrides.header?.[0].toLowerCase() ?? ''];
          const query = seenUrl.searchParams.get('_method');
          const methods = effectiveMethods(seen.method, {
            ...(typeof override === 'string' ? { header: ['h', override] as [string, string] } : {}),
            ...(query === null ? {} : { query }),
          });
          for (const m of methods) expect(modelAllows(atOrigin, m), `origin got ${m} ${seen.url}`).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
