/**
 * One JSON line per edge decision that is not a plain forward, so `wrangler tail`
 * and Workers Logs show why a request was refused. Plain forwards log only at
 * `debug` (a line per request costs money at scale).
 */
import type { LogLevel } from '../config.ts';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

export interface DecisionLog {
  readonly level: Exclude<LogLevel, 'off'>;
  readonly decision: string;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The patterns of the routes that matched (` | ` between several), never the raw path. */
  readonly route?: string;
  readonly allow?: string;
  readonly detail?: string;
  readonly ray?: string | null;
  /** LOG_SAMPLE when below 1: this line stands for about 1/sample such requests. */
  readonly sample?: number;
}

/** Is `level` logged under `threshold`? Callers ask first to build no entry for nothing. */
export function logs(threshold: LogLevel, level: DecisionLog['level']): boolean {
  return RANK[level] >= RANK[threshold];
}

export function logDecision(threshold: LogLevel, entry: DecisionLog): void {
  if (!logs(threshold, entry.level)) return;
  // Workers Logs takes an entry's level from the console method.
  console[entry.level](logLine(entry));
}

const text = JSON.stringify;

/**
 * The entry as one JSON object: a fixed field order (what happened first, why
 * last, so `wrangler tail` lines read alike), unset fields left out. Written as
 * text, each value escaped by JSON.stringify: no object is built per line.
 */
export function logLine(entry: DecisionLog): string {
  const { level, decision, status, method, path, route, allow, detail, ray, sample } = entry;
  let line = `{"source":"method-guard","level":"${level}","decision":${text(decision)},"status":${status},"method":${text(method)},"path":${text(path)}`;
  if (route !== undefined) line += `,"route":${text(route)}`;
  if (allow !== undefined) line += `,"allow":${text(allow)}`;
  if (detail !== undefined) line += `,"detail":${text(detail)}`;
  if (ray !== undefined) line += `,"ray":${text(ray)}`;
  if (sample !== undefined) line += `,"sample":${text(sample)}`;
  return `${line}}`;
}

/** Ids where there is no cf-ray: a random prefix drawn once per isolate, then a count. */
let isolatePrefix: string | undefined;
let issued = 0;

/**
 * What ties a client's error answer to its log line: the cf-ray Cloudflare puts on
 * every request, or, where there is none (wrangler dev, bare workerd), an id unique
 * to this isolate's prefix and count: one random draw per isolate, not per refusal.
 */
export function correlationId(headers: Headers): string {
  const ray = headers.get('cf-ray');
  if (ray !== null) return ray;
  isolatePrefix ??= crypto.randomUUID().slice(0, 13);
  issued++;
  return `${isolatePrefix}-${issued.toString(36)}`;
}
