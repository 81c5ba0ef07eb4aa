/**
 * MODE=report in workerd, in front of a recording origin: replaying the enforce
 * tests' hostile corpus, the origin and the client see exactly what a Worker that
 * only forwards would give them, and every request enforce does not forward is
 * named by exactly one `would-refuse` / `would-answer` line.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../scripts/recording-origin.ts';
import type { DecisionLog } from '../../src/guard/http/log.ts';
import { type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { HOSTILE_CORPUS } from '../support/hostile-corpus.ts';
import { type RawResponse, send } from '../support/http.ts';

type DecisionLine = DecisionLog & { readonly source: 'method-guard' };

/** The Worker without the guard: every request forwarded as the Worker received it. */
const PASS_THROUGH = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.ORIGIN + request.url.slice(url.origin.length), request);
  },
};`;

interface Setup {
  readonly enforce: GuardServer;
  readonly report: GuardServer;
  readonly passThrough: { readonly url: string; readonly mf: Miniflare };
}

async function setup(vars: Record<string, string>): Promise<Setup> {
  const [enforce, report] = await Promise.all([
    startGuard(vars, 'fixture'),
    startGuard({ ...vars, MODE: 'report' }, 'fixture'),
  ]);
  // The pass-through forwards to the report guard's origin, so Host and everything else compare equal.
  const mf = new Miniflare({
    modules: true,
    script: PASS_THROUGH,
    compatibilityDate: '2026-08-01',
    bindings: { ORIGIN: report.origin.url },
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  return { enforce, report, passThrough: { url, mf } };
}

async function close({ enforce, report, passThrough }: Setup) {
  await Promise.all([enforce.close(), report.close(), passThrough.mf.dispose()]);
}

function decisionLines(guard: GuardServer): DecisionLine[] {
  return guard.logs
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DecisionLine)
    .filter((entry) => entry.source === 'method-guard');
}

const withoutHop = ({ headers, ...rest }: RecordedRequest) => {
  const { via: _via, ...others } = headers;
  return { ...rest, headers: others };
};

const seenBy = (response: RawResponse) => {
  const { date: _date, ...headers } = response.headers;
  return { status: response.status, headers, body: response.body };
};

interface Expected {
  readonly ray: string;
  readonly line: { readonly decision: string; readonly status: number; readonly allow?: string } | null;
}

describe.each([
  ['default settings', {}],
  [
    'UNMATCHED=404, CORS, STRIP_METHOD_OVERRIDE and CASE_INSENSITIVE',
    {
      UNMATCHED: '404',
      CORS_ALLOW_ORIGINS: 'https://app.example',
      STRIP_METHOD_OVERRIDE: 'true',
      CASE_INSENSITIVE: 'true',
    },
  ],
] as [string, Record<string, string>][])('MODE=report with %s, on the hostile corpus', (_name, vars) => {
  let s: Setup;
  const expected: Expected[] = [];
  beforeAll(async () => {
    s = await setup(vars);
  });
  afterAll(() => close(s));

  it('delivers every request to the origin exactly as a pass-through Worker does, and answers the client as it does', async () => {
    for (const [i, { target, ...init }] of HOSTILE_CORPUS.entries()) {
      const ray = `corpus-${i}`;
      const request = { ...init, headers: { ...init.headers, 'cf-ray': ray } };
      const label = `${init.method ?? 'GET'} ${target}`;

      const enforcedBefore = s.enforce.origin.requests.length;
      const enforced = await send(s.enforce.url, target, request);
      const forwardedByEnforce = s.enforce.origin.requests.length > enforcedBefore;

      let before = s.report.origin.requests.length;
      const reported = await send(s.report.url, target, request);
      const viaReport = s.report.origin.requests.slice(before).map(withoutHop);
      before = s.report.origin.requests.length;
      const passed = await send(s.passThrough.url, target, request);
      const viaPassThrough = s.report.origin.requests.slice(before);

      expect(viaPassThrough, label).toHaveLength(1);
      expect(viaReport, label).toEqual(viaPassThrough);
      expect(seenBy(reported), label).toEqual(seenBy(passed));

      const allow = enforced.headers.allow ? { allow: enforced.headers.allow } : {};
      if (forwardedByEnforce) expected.push({ ray, line: null });
      else if (enforced.status === 204)
        expected.push({ ray, line: { decision: 'would-answer', status: 204, ...allow } });
      else
        expected.push({
          ray,
          line: { decision: 'would-refuse', status: enforced.status, ...allow },
        });
    }
    // The corpus exercises every kind of enforce decision.
    const statuses = new Set(expected.map((e) => e.line?.status ?? 'forward'));
    expect([...statuses].sort()).toEqual(
      vars.UNMATCHED === '404' ? [204, 400, 404, 405, 413, 'forward'] : [204, 400, 405, 413, 'forward'],
    );
  });

  it('logs exactly one would-refuse or would-answer line, at info, for each request enforce does not forward', async () => {
    const lines = () => decisionLines(s.report).filter((l) => l.decision.startsWith('would-'));
    await expect.poll(() => lines().length).toBe(expected.filter((e) => e.line).length);
    for (const { ray, line } of expected) {
      const mine = decisionLines(s.report).filter((l) => l.ray === ray);
      if (line === null) expect(mine, ray).toEqual([]);
      else {
        expect(mine, ray).toHaveLength(1);
        expect(mine[0], ray).toMatchObject({ level: 'info', ...line });
      }
    }
  });
});

describe('MODE=report', () => {
  let report: GuardServer;
  beforeAll(async () => {
    report = await startGuard({ MODE: 'report' }, 'fixture');
  });
  afterAll(() => report.close());

  const lineFor = async (ray: string) => {
    await expect.poll(() => decisionLines(report).filter((l) => l.ray === ray)).toHaveLength(1);
    return decisionLines(report).find((l) => l.ray === ray);
  };

  it('names the route pattern that matched, the Allow and the path in a would-refuse line', async () => {
    await send(report.url, '/api/items/42', { method: 'POST', body: 'x', headers: { 'cf-ray': 'pattern' } });
    expect(await lineFor('pattern')).toEqual({
      source: 'method-guard',
      level: 'info',
      decision: 'would-refuse',
      status: 405,
      method: 'POST',
      path: '/api/items/42',
      route: '/api/items/:id',
      allow: 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
      detail: 'POST is not allowed on /api/items/42',
      ray: 'pattern',
    });
  });

  it('names every pattern that matched when routes overlap', async () => {
    await send(report.url, '/files/uploads/cat.png', { method: 'POST', body: 'x', headers: { 'cf-ray': 'overlap' } });
    expect(await lineFor('overlap')).toMatchObject({
      route: '/files/* | /files/uploads/* | /files/uploads/:name',
      allow: 'GET, HEAD, PUT, DELETE, OPTIONS',
    });
  });

  it('still lets the site’s own edge handlers answer, as the Worker does without the guard', async () => {
    const before = report.origin.requests.length;
    const response = await send(report.url, '/edge');
    expect(response.status).toBe(200);
    expect(response.body).toBe('edge says hi\n');
    expect(report.origin.requests.length).toBe(before);
  });

  it('still answers a real forwarding loop 508, and logs it as a refusal', async () => {
    const before = report.origin.requests.length;
    const response = await send(report.url, '/hello', { headers: { via: viaOf(report), 'cf-ray': 'loop' } });
    expect(response.status).toBe(508);
    expect(report.origin.requests.length).toBe(before);
    expect(await lineFor('loop')).toMatchObject({ level: 'warn', decision: 'refuse', status: 508 });
  });
});

describe('MODE', () => {
  it('that is unknown answers 500 naming MODE, and forwards nothing', async () => {
    const guard = await startGuard({ MODE: 'log-only' }, 'fixture');
    try {
      const response = await send(guard.url, '/hello');
      expect(response.status).toBe(500);
      expect(response.body).toBe(
        '500 Internal Server Error: method-guard: invalid MODE: expected one of "enforce", "report"\n',
      );
      expect(guard.origin.started).toBe(0);
    } finally {
      await guard.close();
    }
  });
});
