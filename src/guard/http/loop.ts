/**
 * Forwarding-loop detection. Under `wrangler dev` with no ORIGIN, `fetch(request)`
 * goes to the Worker's own URL and would call itself until file descriptors run
 * out; on a misconfigured zone the same can happen. Every forwarded request
 * carries this header, and a request that arrives with it is answered 508.
 */
export const HOP_HEADER = 'x-method-guard-hop';
