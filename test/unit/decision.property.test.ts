/**
 * Property: the pure decision agrees with the independent reference model on
 * random route tables and random (hostile) request spellings.
 * Replay a failure with PROPERTY_SEED=<seed> (fast-check prints seed and path).
 */
import fc from 'fast-check';
import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';
import {
  effectiveMethods,
  ittyPath,
  METHODS,
  type ModelRequest,
  type ModelRoute,
  modelAllows,
  modelDeclared,
  request,
  routeTable,
} from '../support/reference-model.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;

const options = fc.record({ strictTrailingSlash: fc.boolean(), caseInsensitive: fc.boolean() });

function guardDecision(
  routes: ModelRoute[],
  req: ModelRequest,
  opts: { strictTrailingSlash: boolean; caseInsensitive: boolean },
  method = req.method,
  withOverrides = true,
) {
  const router = Router();
  for (const route of routes) router[route.method.toLowerCase()]?.(ittyPath(route.segments));
  const config = parseConfig({
    ORIGIN: 'http://127.0.0.1:9',
    STRICT_TRAILING_SLASH: String(opts.strictTrailingSlash),
    CASE_INSENSITIVE: String(opts.caseInsensitive),
    ORIGIN_PROFILE: 'strict',
  });
  const url = new URL(`http://guard.test${withOverrides ? req.target : req.target.replace(/\?.*$/, '')}`);
  const headers = new Headers(withOverrides && req.overrides.header ? [req.overrides.header] : []);
  return { decision: decide(compileMethodMap(router.routes, config), { method, url, headers }, config), url };
}

describe('property: decision ⇔ reference model', () => {
  it(`(a) 405 ⇔ the canonical path matches and an effective method is not allowed, (b) every method in Allow succeeds — ${RUNS} cases`, () => {
    fc.assert(
      fc.property(routeTable, request, options, (routes, req, opts) => {
        const { decision, url } = guardDecision(routes, req, opts);
        const declared = modelDeclared(routes, url.pathname, opts);

        if (declared === null) {
          expect(decision).toMatchObject({ action: 'refuse', status: 400 });
          return;
        }
        if (declared === 'unmatched') {
          expect(decision).toMatchObject({ action: 'pass', unmatched: true });
          return;
        }
        const refused = effectiveMethods(req.method, req.overrides).some((m) => !modelAllows(declared, m));
        expect(decision.action === 'refuse' && decision.status === 405).toBe(refused);
        if (decision.action !== 'refuse' || decision.status !== 405) return;

        // Allow lists exactly the methods the model allows (among those we generate)…
        for (const m of METHODS) expect(decision.allow?.includes(m), m).toBe(modelAllows(declared, m));
        // …and each of them, sent alone to the same URL, is not refused.
        for (const m of decision.allow ?? []) {
          const retry = guardDecision(routes, req, opts, m, false).decision;
          expect(retry.action === 'refuse' && retry.status === 405, `${m} ${url.pathname}`).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
