/**
 * Decision counters through Workers Analytics Engine: one data point per request,
 * written when a dataset is bound as `METRICS`, so a site sees its 405s by route
 * and method over time without paying for a log line per request.
 *
 * `writeDataPoint` is synchronous and returns nothing to await: the runtime sends
 * the point after the response, so counting adds no latency and needs no waitUntil
 * (https://developers.cloudflare.com/analytics/analytics-engine/get-started/).
 * Only bounded values are written: the route pattern, never the raw path a client
 * chooses; the method, of which workerd passes a fixed set to a Worker.
 */

/** The part of an Analytics Engine dataset binding the guard uses. */
export interface Dataset {
  writeDataPoint(point: { readonly blobs?: string[]; readonly doubles?: number[] }): void;
}

/** The binding name the guard looks for: `[[analytics_engine_datasets]] binding = "METRICS"`. */
export const METRICS_BINDING = 'METRICS';

export interface DecisionPoint {
  /** `forward`, `edge`, `options`, `preflight`, `refuse`, `would-refuse`, … as in the log lines. */
  readonly decision: string;
  readonly status: number;
  readonly method: string;
  /** The matched route patterns (` | ` between several); "" when no route matched. */
  readonly route: string;
  /** `enforce` or `report`; "" when the settings are invalid. */
  readonly mode: string;
}

/**
 * The columns, in the order the SQL API names them (docs/rollout.md): blob1
 * decision, blob2 method, blob3 route, blob4 mode, double1 status. Adding a
 * column goes at the end, so existing queries keep their meaning.
 */
export function countDecision(dataset: Dataset, { decision, status, method, route, mode }: DecisionPoint): void {
  dataset.writeDataPoint({ blobs: [decision, method, route, mode], doubles: [status] });
}

/**
 * The env's METRICS binding: null when there is none (nothing is counted), or
 * `invalid` when METRICS is something else, such as a `[vars]` entry.
 */
export function metricsDataset(env: unknown): Dataset | null | 'invalid' {
  const binding = (env as Record<string, unknown> | null | undefined)?.[METRICS_BINDING];
  if (binding === undefined || binding === null) return null;
  const write = (binding as Partial<Dataset>).writeDataPoint;
  return typeof write === 'function' ? (binding as Dataset) : 'invalid';
}
