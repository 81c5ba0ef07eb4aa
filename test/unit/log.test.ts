import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correlationId, type DecisionLog, logLine } from '../../src/guard/http/log.ts';

const entry: fc.Arbitrary<DecisionLog> = fc.record(
  {
    level: fc.constantFrom('debug', 'info', 'warn', 'error'),
    decision: fc.string({ unit: 'binary' }),
    status: fc.integer({ min: 100, max: 599 }),
    method: fc.string(),
    path: fc.string({ unit: 'binary' }),
    route: fc.string({ unit: 'binary' }),
    allow: fc.string(),
    detail: fc.string({ unit: 'binary' }),
    ray: fc.option(fc.string(), { nil: null }),
    sample: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: ['level', 'decision', 'status', 'method', 'path'] },
);

describe('logLine: one decision as a JSON line', () => {
  it('is what JSON.stringify writes for the entry, in the fixed field order, for any text in it', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const { level, decision, status, method, path, route, allow, detail, ray, sample } = e;
        const ordered = {
          source: 'method-guard',
          level,
          decision,
          status,
          method,
          path,
          route,
          allow,
          detail,
          ray,
          sample,
        };
        expect(logLine(e)).toBe(JSON.stringify(ordered));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('correlationId: what ties an error answer to its log line', () => {
  it('is the cf-ray when Cloudflare sent one', () => {
    expect(correlationId(new Headers({ 'cf-ray': '8f1e2d3c4b5a6978-AMS' }))).toBe('8f1e2d3c4b5a6978-AMS');
  });

  it('is a different id for every request without one, in the characters an answer quotes', () => {
    const ids = Array.from({ length: 1000 }, () => correlationId(new Headers()));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[\w-]+$/);
  });
});
