/**
 * Part 4: a long run of forwarded, refused, OPTIONS and unmatched requests on
 * ever-new paths, sampling the workerd process's resident memory as it goes:
 * anything kept per request or per path would show as growth. The pass-through
 * Worker takes the same run first, as the baseline: workerd's RSS climbs over
 * the first ~150,000 requests whatever the Worker (V8 heap and allocator
 * sizing), so growth is read after that, over the second half.
 */
import autocannon, { type Options } from 'autocannon';
import type { Bundle } from './bundle.ts';
import { rss, startOrigin, startWorkerd } from './e2e.ts';
import { CONNECTIONS } from './load.ts';
import { heading, judge, type Verdict, verdictLine } from './report.ts';

export interface SoakSample {
  /** Requests answered so far. */
  readonly requests: number;
  readonly seconds: number;
  /** workerd resident memory, bytes. */
  readonly rss: number;
}

export interface SoakRun {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly logLines: number;
  readonly samples: SoakSample[];
  /** Median RSS over the 40–50% and the last 10% of requests. */
  readonly early: number;
  readonly late: number;
}

export interface SoakResult {
  readonly guard: SoakRun;
  readonly passThrough: SoakRun;
  readonly verdicts: Verdict[];
}

/** Ten requests a round: forwarded ones with fresh ids, 405s, OPTIONS, unmatched paths (forwarded). */
function mix(): NonNullable<Options['requests']> {
  let n = 0;
  const fresh = (prefix: string) => (r: { path: string; method: string }) => {
    r.path = `${prefix}${n++}`;
    return r;
  };
  return [
    { method: 'GET', path: '/api/items/1', setupRequest: fresh('/api/items/') },
    { method: 'DELETE', path: '/api/items' },
    { method: 'GET', path: '/hello' },
    { method: 'POST', path: '/hello' },
    { method: 'PUT', path: '/api/items/1', setupRequest: fresh('/api/items/') },
    { method: 'GET', path: '/blog/1', setupRequest: fresh('/blog/post-') },
    { method: 'PATCH', path: '/static/app.js' },
    { method: 'GET', path: '/static/1', setupRequest: fresh('/static/assets/v') },
    { method: 'OPTIONS', path: '/api/items' },
    { method: 'DELETE', path: '/api/items/1', setupRequest: fresh('/api/items/') },
  ];
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

async function soakRun(bundle: Bundle, origin: string, requests: number, maxSeconds: number): Promise<SoakRun> {
  const worker = await startWorkerd(bundle, { ORIGIN: origin });
  try {
    const samples: SoakSample[] = [];
    let done = 0;
    const t0 = performance.now();
    const sample = () =>
      samples.push({ requests: done, seconds: (performance.now() - t0) / 1000, rss: rss(worker.pid) });
    sample();
    const instance = autocannon({
      url: worker.url,
      connections: CONNECTIONS,
      amount: requests,
      timeout: 10,
      requests: mix(),
    });
    instance.on('tick', ({ counter }) => {
      done += counter;
      sample();
      if (samples.length % 30 === 0)
        console.log(`  ${done.toLocaleString('en')} requests, RSS ${mib(rss(worker.pid))}`);
    });
    const stop = setTimeout(() => instance.stop(), maxSeconds * 1000); // the time bound
    const result = await instance;
    clearTimeout(stop);
    done = Object.values(result.statusCodeStats).reduce((n, s) => n + Number(s.count), 0);
    sample();
    if (done < requests) console.log(`  NOTE: stopped by the ${maxSeconds} s time bound at ${done} requests.`);

    const seconds = (performance.now() - t0) / 1000;
    const window = (from: number, to: number) => {
      const rss = samples.filter((s) => s.requests >= from * done && s.requests <= to * done).map((s) => s.rss);
      return rss.sort((a, b) => a - b)[rss.length >> 1] ?? Number.NaN;
    };
    const run: SoakRun = {
      requests: done,
      seconds,
      rps: done / seconds,
      statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, Number(v.count)])),
      errors: result.errors + result.timeouts,
      logLines: worker.logLines(),
      samples,
      early: window(0.4, 0.5),
      late: window(0.9, 1),
    };
    console.log(
      `  ${done.toLocaleString('en')} requests in ${seconds.toFixed(0)} s (${run.rps.toFixed(0)} req/s), statuses ` +
        `${JSON.stringify(run.statuses)}, errors ${run.errors}, ${run.logLines} log lines; RSS: start ` +
        `${mib(samples[0]?.rss ?? 0)}, peak ${mib(Math.max(...samples.map((s) => s.rss)))}, at 40–50% ` +
        `${mib(run.early)}, last 10% ${mib(run.late)} (${(run.late / run.early).toFixed(3)}x)`,
    );
    return run;
  } finally {
    await worker.close();
  }
}

export async function soakBench(
  bundles: { guard: Bundle; passThrough: Bundle },
  { requests, maxSeconds }: { requests: number; maxSeconds: number },
): Promise<SoakResult> {
  heading(`4. Memory soak: ${requests.toLocaleString('en')} requests a Worker, workerd RSS`);
  const origin = await startOrigin();
  try {
    console.log('pass-through (the baseline):');
    const passThrough = await soakRun(bundles.passThrough, origin.url, requests, maxSeconds);
    console.log('method-guard:');
    const guard = await soakRun(bundles.guard, origin.url, requests, maxSeconds);
    const verdicts = [
      judge({
        name: 'memory over the soak',
        ratio: guard.late / guard.early,
        bound: 'max',
        limit: 1.05,
        over: `method-guard RSS, last 10% / 40–50% of requests; pass-through ${(passThrough.late / passThrough.early).toFixed(3)}x`,
      }),
    ];
    console.log(`method-guard RSS at the end / pass-through's: ${(guard.late / passThrough.late).toFixed(2)}x`);
    for (const v of verdicts) console.log(verdictLine(v));
    return { guard, passThrough, verdicts };
  } finally {
    await origin.close();
  }
}
