/**
 * Max-Forwards (RFC 9110 §7.6.2) limits how far a TRACE or OPTIONS travels: a
 * recipient that reads 0 answers as the final recipient, any other value is
 * decremented on the way on. Other methods keep it untouched (the RFC lets a
 * recipient ignore it there), as does a value that is not 1*DIGIT.
 */
const HOP_LIMITED_METHODS: ReadonlySet<string> = new Set(['TRACE', 'OPTIONS']);

/** The hops a TRACE or OPTIONS may still take, or null when Max-Forwards does not apply. */
export function maxForwards(method: string, headers: Headers): number | null {
  if (!HOP_LIMITED_METHODS.has(method)) return null;
  const value = headers.get('max-forwards')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

/** Decrements Max-Forwards in `headers` (those of a request being forwarded) where it applies. */
export function spendHop(method: string, headers: Headers): void {
  const left = maxForwards(method, headers);
  // Past 2^53 the count is unbounded in practice: passed on as it came.
  if (left !== null && left > 0 && Number.isSafeInteger(left)) headers.set('max-forwards', String(left - 1));
}
