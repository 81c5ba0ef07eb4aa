/**
 * One bounded load run against a URL, and what it cost the serving process.
 *
 * wrk (Debian's `wrk`, C, one thread) generates the load when it is installed:
 * on a 2-core machine the generator shares the cores with workerd, and wrk
 * spends a fraction of the CPU per request that autocannon (node) does. The
 * bench installs it when it can (ensureWrk); without it autocannon runs, and
 * the report says which.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export interface Load {
  readonly rps: number;
  /**
   * CPU the serving process spent per request, µs: unlike req/s, hardly moved by
   * other work on the machine, and what bounds throughput once a core is full.
   */
  readonly cpuUs: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  /** Responses with another status than expected (wrk: counted as "status ≥ 400" or not). */
  readonly unexpected: number;
}

export const CONNECTIONS = 16;

export interface LoadOptions {
  readonly url: string;
  readonly method: string;
  readonly seconds: number;
  readonly expectedStatus: number;
  /** The process whose CPU is counted (none: not counted). */
  readonly pid?: number;
}

/** CPU time a process has used so far (user + system), in ms; USER_HZ is 100 on Linux. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const hasWrk = () => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

/** Installs Debian's wrk when missing and apt-get may run (root); says which generator the bench uses. */
export function ensureWrk(): 'wrk' | 'autocannon' {
  if (hasWrk()) return 'wrk';
  if (process.getuid?.() === 0) {
    try {
      console.log('installing wrk (apt-get install wrk) ...');
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {}
  }
  return hasWrk() ? 'wrk' : 'autocannon';
}

let generator: 'wrk' | 'autocannon' | undefined;

/** The load generator in use, chosen once. */
export function loadGenerator(): 'wrk' | 'autocannon' {
  generator ??= ensureWrk();
  return generator;
}

const run = promisify(execFile);

async function withWrk(o: LoadOptions) {
  const { stdout } = await run(
    'wrk',
    ['-t1', `-c${CONNECTIONS}`, `-d${o.seconds}s`, '--timeout', '10s', '-s', 'bench/wrk.lua', o.url, '--', o.method],
    { timeout: (o.seconds + 30) * 1000 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length));
  // wrk counts responses by "status ≥ 400" only: an expected 4xx is right when every response is one.
  const unexpected = o.expectedStatus >= 400 ? r.requests - r.statusOver399 : r.statusOver399;
  return {
    requests: r.requests as number,
    seconds: r.durationUs / 1e6,
    p50: r.p50Us / 1000,
    p99: r.p99Us / 1000,
    errors: (r.socketErrors + r.timeouts) as number,
    unexpected: unexpected as number,
  };
}

async function withAutocannon(o: LoadOptions) {
  const result = await autocannon({
    url: o.url,
    method: o.method,
    connections: CONNECTIONS,
    duration: o.seconds,
    maxOverallRequests: 200_000 * o.seconds, // a count bound as well as a time bound
    timeout: 10,
  });
  const requests = Object.values(result.statusCodeStats).reduce((n, s) => n + Number(s.count), 0);
  return {
    requests,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected: requests - Number(result.statusCodeStats[o.expectedStatus]?.count ?? 0),
  };
}

export async function load(o: LoadOptions): Promise<Load> {
  const cpuBefore = o.pid === undefined ? Number.NaN : cpuMs(o.pid);
  const r = loadGenerator() === 'wrk' ? await withWrk(o) : await withAutocannon(o);
  const cpu = o.pid === undefined ? Number.NaN : cpuMs(o.pid) - cpuBefore;
  return {
    rps: r.requests / r.seconds,
    cpuUs: (cpu * 1000) / r.requests,
    p50: r.p50,
    p99: r.p99,
    requests: r.requests,
    errors: r.errors,
    unexpected: r.unexpected,
  };
}
