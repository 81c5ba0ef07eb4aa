/**
 * The guard (the bundled Worker in workerd) in front of REAL origin frameworks, each declaring the
 * same rules in its own routing (test/origins/, docs/origin-frameworks.md). Behind
 * ORIGIN_PROFILE=<the framework's profile> and behind the default `any`:
 * - no hostile request (test/support/corpus.ts) makes the origin run a handler with a method the
 *   rules forbid on that handler's route;
 * - no legitimate spelling of an allowed request is refused with 405 (under `any`: exactly the few
 *   that another framework reads as a forbidden method).
 * Without the guard, the reported bypasses do run forbidden handlers: the tests can fail.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allowedOn, rules } from '../origins/rules.ts';
import { HOSTILE, type LegitProbe, legitFor, type Probe } from '../support/corpus.ts';
import { describeFramework, FRAMEWORKS, type Ran, type RunningOrigin, startOrigin } from '../support/frameworks.ts';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { type RawResponse, send } from '../support/http.ts';

const ALLOWED = new Map(rules.routes.map((rule) => [rule.name, allowedOn(rule)]));
const forbidden = (ran: Ran) => !ALLOWED.get(ran.route)?.has(ran.method);

interface Outcome<P extends Probe> {
  readonly probe: P;
  readonly response: RawResponse;
  /** The handlers the origin ran for this request. */
  readonly ran: readonly Ran[];
}

/** Requests in flight at once: enough to keep workerd and php -S's 4 workers busy, few enough for 2 cores. */
const CONCURRENCY = 16;
let batches = 0;

/** Sends every probe (tagged `x-probe`) to `base`, then reads what `origin` ran for each. */
async function sendAll<P extends Probe>(origin: RunningOrigin, base: string, probes: readonly P[]) {
  const tag = `b${batches++}-`;
  const responses: RawResponse[] = new Array(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      const { method, target, headers, body } = probes[i] as P;
      responses[i] = await send(base, target, { method, headers: { ...headers, 'x-probe': `${tag}${i}` }, body }).catch(
        (error: Error) => ({ status: 0, headers: {}, body: error.message }),
      );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ran = new Map<string, Ran[]>();
  for (const record of origin.ran()) {
    if (record.probe.startsWith(tag)) ran.set(record.probe, [...(ran.get(record.probe) ?? []), record]);
  }
  return probes.map(
    (probe, i): Outcome<P> => ({ probe, response: responses[i] as RawResponse, ran: ran.get(`${tag}${i}`) ?? [] }),
  );
}

/** A bypass, as a failure message line: the request, what the guard answered, what ran. */
const bypasses = (outcomes: readonly Outcome<Probe>[]) =>
  outcomes.flatMap(({ probe, response, ran }) =>
    ran
      .filter(forbidden)
      .map((r) => `${probe.label} [guard ${response.status}] → ${r.route} ran ${r.method} ${r.path}`),
  );

/**
 * The reported bypasses. Without the guard, the frameworks of `readBy` run them as a forbidden
 * method; behind the guard, each profile of `readBy` and `any` answer them itself (400 ones: every profile).
 */
const REPORTED: readonly { probe: Probe; readBy: readonly string[]; status: 405 | 400 }[] = [
  {
    probe: { label: 'DELETE /Account/Settings', method: 'DELETE', target: '/Account/Settings', headers: {} },
    readBy: ['express'],
    status: 405,
  },
  {
    probe: { label: 'DELETE /account/settings/', method: 'DELETE', target: '/account/settings/', headers: {} },
    readBy: ['express', 'rails'],
    status: 405,
  },
  {
    probe: { label: 'DELETE /account/settings.json', method: 'DELETE', target: '/account/settings.json', headers: {} },
    readBy: ['rails'],
    status: 405,
  },
  {
    probe: {
      label: 'POST /account/settings + X_HTTP_METHOD_OVERRIDE: DELETE',
      method: 'POST',
      target: '/account/settings',
      headers: { X_HTTP_METHOD_OVERRIDE: 'DELETE' },
    },
    readBy: ['rails', 'laravel', 'flask'],
    status: 405,
  },
  {
    probe: {
      label: 'POST /account/settings?.method=DELETE',
      method: 'POST',
      target: '/account/settings?.method=DELETE',
      headers: {},
    },
    readBy: ['laravel'],
    status: 405,
  },
  {
    probe: {
      label: 'POST /account/settings with a form body _method=delete',
      method: 'POST',
      target: '/account/settings',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '_method=delete',
    },
    readBy: ['express', 'rails', 'laravel'],
    status: 405,
  },
  {
    probe: {
      label: 'DELETE /account/settings%3Bx=1',
      method: 'DELETE',
      target: '/account/settings%3Bx=1',
      headers: {},
    },
    readBy: [],
    status: 400,
  },
];

/**
 * Legitimate on one framework, a forbidden method on another: `any` must refuse them (the cost the
 * issue accepts for the default). Rails reads /photos/new.json as photos#new (POST allowed); Express,
 * Symfony and Flask read it as photos#show (GET only).
 */
const REFUSED_BY_ANY = new Set(['POST /photos/new.json', 'POST /photos/new.xml', 'POST /photos/new.html']);

/** The reported requests a profile's guard must answer itself. */
const refusedBehind = (profile: string) =>
  REPORTED.filter(({ readBy, status }) => status === 400 || profile === 'any' || readBy.includes(profile));

for (const framework of FRAMEWORKS) {
  describeFramework(framework, () => {
    const profiles = [framework.profile, 'any'];
    let origin: RunningOrigin;
    const guards = new Map<string, GuardServer>();

    beforeAll(async () => {
      origin = await startOrigin(framework);
      const started = await Promise.all(
        profiles.map((profile) => startGuard({ ORIGIN: origin.url, ORIGIN_PROFILE: profile }, 'frameworks')),
      );
      for (const [i, profile] of profiles.entries()) guards.set(profile, started[i] as GuardServer);
    });
    afterAll(() => Promise.all([origin?.close(), ...[...guards.values()].map((guard) => guard.close())]));

    const samples = rules.routes.map(
      (rule): LegitProbe => ({
        label: `GET ${rule.sample}`,
        method: 'GET',
        target: rule.sample,
        headers: {},
        expect: { route: rule.name, method: 'GET' },
      }),
    );
    const ranAsExpected = (outcomes: readonly Outcome<LegitProbe>[]) =>
      outcomes
        .filter(
          ({ probe, ran }) =>
            ran.length !== 1 || ran[0]?.route !== probe.expect.route || ran[0]?.method !== probe.expect.method,
        )
        .map(({ probe, response, ran }) => `${probe.label} [${response.status}] ran ${JSON.stringify(ran)}`);

    it('runs and records the handler of every route, directly and through the guard', async () => {
      expect(ranAsExpected(await sendAll(origin, origin.url, samples))).toEqual([]);
      expect(ranAsExpected(await sendAll(origin, guards.get('any')?.url ?? '', samples))).toEqual([]);
    });

    it('without the guard, runs forbidden handlers for the reported bypasses it reads', async () => {
      const reported = REPORTED.filter(({ readBy }) => readBy.includes(framework.profile)).map(({ probe }) => probe);
      const outcomes = await sendAll(origin, origin.url, reported);
      expect(outcomes.filter(({ ran }) => !ran.some(forbidden)).map(({ probe }) => probe.label)).toEqual([]);
    });

    it('without the guard, reads every legitimate spelling as the route and method it names', async () => {
      expect(ranAsExpected(await sendAll(origin, origin.url, legitFor(framework.profile)))).toEqual([]);
    });

    for (const profile of profiles) {
      it(`behind ORIGIN_PROFILE=${profile}, runs no handler with a method the rules forbid (${HOSTILE.length} hostile requests)`, async () => {
        const outcomes = await sendAll(origin, guards.get(profile)?.url ?? '', HOSTILE);
        const failed = outcomes.filter(({ response }) => response.status === 0 || response.status >= 500);
        expect({
          failed: failed.map(
            ({ probe, response }) => `${probe.label} [${response.status} ${response.body.slice(0, 80)}]`,
          ),
          bypasses: bypasses(outcomes),
        }).toEqual({
          failed: [],
          bypasses: [],
        });
      });

      it(`behind ORIGIN_PROFILE=${profile}, refuses no legitimate ${framework.profile} spelling with 405`, async () => {
        const legit = legitFor(framework.profile);
        const outcomes = await sendAll(origin, guards.get(profile)?.url ?? '', legit);
        const refused = outcomes.filter(({ response }) => response.status === 405);
        const byDesign = profile === 'any' ? legit.filter(({ label }) => REFUSED_BY_ANY.has(label)) : [];
        expect(refused.map(({ probe }) => probe.label)).toEqual(byDesign.map(({ label }) => label));
        expect(ranAsExpected(outcomes.filter(({ response }) => response.status !== 405))).toEqual([]);
      });

      for (const { probe, status } of refusedBehind(profile)) {
        it(`behind ORIGIN_PROFILE=${profile}, answers ${probe.label} with ${status} itself`, async () => {
          const [outcome] = await sendAll(origin, guards.get(profile)?.url ?? '', [probe]);
          expect({ status: outcome?.response.status, ran: outcome?.ran }).toEqual({ status, ran: [] });
        });
      }
    }
  });
}
