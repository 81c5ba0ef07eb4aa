/**
 * Forwarding loops, told apart from chains of guards by RFC 9110 §7.6.3 `Via`.
 *
 * Every request the guard forwards carries `Via: <protocol> <id> (method-guard)`
 * appended to any Via it arrived with: an HTTP-to-HTTP gateway MUST add one to
 * each inbound request. `<id>` names this guard: GUARD_ID, or by default the host
 * the request was addressed to. A request that arrives with this guard's own
 * entry has come round (ORIGIN pointing back at the guard, or an empty ORIGIN
 * under `wrangler dev`): 508. Another guard's entry is a chain (staging guard →
 * production guard) and passes. A loop that changes host on every turn would
 * never repeat an id: MAX_GUARD_HOPS method-guard entries end it too, long
 * before sockets or file descriptors run out.
 */
import type { Config } from '../config.ts';

/** The comment that marks a Via entry as a method-guard's (§7.6.3 allows one after received-by). */
const MARK = '(method-guard)';
export const MAX_GUARD_HOPS = 10;

/** This guard's Via received-by: GUARD_ID, or the Host the request was addressed to (port included). */
export function guardId(config: Config, requestHeaders: Headers): string {
  return config.guardId ?? requestHeaders.get('host') ?? 'method-guard';
}

/** The received-by of every method-guard entry in a Via field value. */
function guardEntries(via: string): string[] {
  const ids: string[] = [];
  for (const entry of via.split(',')) {
    const [, receivedBy, ...comment] = entry.trim().split(/\s+/);
    if (receivedBy !== undefined && comment.join(' ') === MARK) ids.push(receivedBy);
  }
  return ids;
}

/** Why `via` shows a loop through the guard named `id`, or null. */
export function loopIn(via: string | null, id: string): string | null {
  if (via === null) return null;
  const ids = guardEntries(via);
  if (ids.includes(id)) return 'this request has already passed through this guard: its origin leads back to it';
  if (ids.length >= MAX_GUARD_HOPS) return `this request has already passed through ${ids.length} guards`;
  return null;
}

/**
 * The Via to forward with. received-protocol is the protocol the request came in
 * on (`cf.httpProtocol`: "HTTP/2" → "2"; §7.6.3 omits the name when it is HTTP).
 */
export function viaWith(request: Request, id: string): string {
  const protocol = (request as { cf?: { httpProtocol?: unknown } }).cf?.httpProtocol;
  const version = typeof protocol === 'string' && protocol.startsWith('HTTP/') ? protocol.slice(5) : '1.1';
  const entry = `${version} ${id} ${MARK}`;
  const received = request.headers.get('via');
  return received ? `${received}, ${entry}` : entry;
}
