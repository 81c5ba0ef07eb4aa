import { describe, expect, it } from 'vitest';
import { correlationId } from '../../src/guard/http/log.ts';

describe('correlationId: what ties an error answer to its log line', () => {
  it('is the cf-ray when Cloudflare sent one', () => {
    expect(correlationId(new Headers({ 'cf-ray': '8f1e2d3c4b5a6978-AMS' }))).toBe('8f1e2d3c4b5a6978-AMS');
  });

  it('is a different id for every request without one, in the characters an answer quotes', () => {
    const ids = Array.from({ length: 1000 }, () => correlationId(new Headers()));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[\w-]+$/);
  });
});
