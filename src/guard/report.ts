/**
 * Report-only mode (`MODE=report`): the "log" action of Cloudflare API Shield and
 * OWASP CRS's DetectionOnly, for a guard put in front of a live site. The request
 * goes on exactly as it would without the guard; what `enforce` would have done
 * instead is only said, in one log line (and one counter data point).
 */
import type { Decision } from './decide.ts';

export interface WouldDiffer {
  /** `would-refuse`: a 400, 404 or 405 in enforce. `would-answer`: an OPTIONS or preflight the edge answers. */
  readonly decision: 'would-refuse' | 'would-answer';
  /** The status enforce would have answered with. */
  readonly status: number;
}

/**
 * What enforce does instead of forwarding, for a decision report mode forwards;
 * null when enforce forwards too (or lets the site's own handlers answer, which
 * report mode does as well). A loop (508) is not reported: both modes answer it,
 * since forwarding it again would loop forever.
 */
export function wouldDiffer(decision: Decision): WouldDiffer | null {
  switch (decision.action) {
    case 'refuse':
      return decision.status === 508 ? null : { decision: 'would-refuse', status: decision.status };
    case 'options':
    case 'preflight':
      return { decision: 'would-answer', status: 204 };
    case 'trace':
      return { decision: 'would-answer', status: 200 };
    case 'pass':
      return null;
  }
}
