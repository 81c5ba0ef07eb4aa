/**
 * Property: the pure decision agrees with the independent reference model on
 * random route tables, random (hostile) request spellings and overrides, and a
 * random origin profile: the model reads the path the way each kind of origin
 * does (test/support/reference-model.ts, its own code), and a method must be
 * allowed by every origin reading that matches a route.
 * Replay a failure with PROPERTY_SEED=<seed> (fast-check prints seed and path).
 */
import fc from 'fast-check';
import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';
import {
  askedMethods,
  ittyPath,
  METHODS,
  MODEL_PROFILES,
  type ModelRequest,
  type ModelRoute,
  modelReadings,
  PHP_NAMED,
  request,
  requestFor,
  routeTable,
} from '../support/reference-model.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;

const options = fc.record({
  strictTrailingSlash: fc.boolean(),
  caseInsensitive: fc.boolean(),
  profile: fc.constantFrom(...MODEL_PROFILES),
});
type Options = { strictTrailingSlash: boolean; caseInsensitive: boolean; profile: string };

/** Half the requests random, half aimed at a route of the table (and respelled). */
const aimed = fc
  .tuple(routeTable, options)
  .chain(([routes, opts]) => fc.tuple(fc.constant(routes), fc.oneof(request, requestFor(routes)), fc.constant(opts)));

function guardDecision(
  routes: ModelRoute[],
  req: ModelRequest,
  opts: Options,
  method = req.method,
  withOverrides = true,
) {
  const router = Router();
  for (const route of routes) router[route.method.toLowerCase()]?.(ittyPath(route.segments));
  const config = parseConfig({
    ORIGIN: 'http://127.0.0.1:9',
    STRICT_TRAILING_SLASH: String(opts.strictTrailingSlash),
    CASE_INSENSITIVE: String(opts.caseInsensitive),
    ORIGIN_PROFILE: opts.profile,
  });
  const url = new URL(`http://guard.test${withOverrides ? req.target : req.target.replace(/\?.*$/, '')}`);
  const headers = new Headers(withOverrides && req.overrides.header ? [req.overrides.header] : []);
  return { decision: decide(compileMethodMap(router.routes, config), { method, url, headers }, config), url };
}

describe('property: decision ⇔ reference model over origin readings', () => {
  it(`(a) 405 ⇔ some origin reading that matches forbids an effective method, (b) Allow is exactly the intersection and each of its methods succeeds — ${RUNS} cases`, () => {
    fc.assert(
      fc.property(aimed, ([routes, req, opts]) => {
        const { decision, url } = guardDecision(routes, req, opts);
        const reading = modelReadings(routes, url.pathname, opts.profile, opts);

        if (reading === 'ambiguous') {
          expect(decision).toMatchObject({ action: 'refuse', status: 400 });
          return;
        }
        if (reading === 'unmatched') {
          expect(decision).toMatchObject({ action: 'pass', unmatched: true });
          return;
        }
        const { allows } = reading;
        const declaresOptions = reading.declaredByAll('OPTIONS');
        const methods = askedMethods(req.method, req.overrides, declaresOptions, PHP_NAMED.has(opts.profile));
        const refused = methods.some((m) => !allows(m));
        expect(decision.action === 'refuse' && decision.status === 405, JSON.stringify(decision)).toBe(refused);
        if (decision.action !== 'refuse' || decision.status !== 405) return;

        // Allow lists exactly the methods the model allows (among those we generate)…
        for (const m of METHODS) expect(decision.allow?.includes(m), m).toBe(allows(m));
        // …and each of them, sent alone to the same URL, is not refused.
        for (const m of decision.allow ?? []) {
          const retry = guardDecision(routes, req, opts, m, false).decision;
          expect(retry.action === 'refuse' && retry.status === 405, `${m} ${url.pathname}`).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
