import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { handlerRunner } from '../../src/guard/dispatch.ts';

const answer = () => new Response('edge');

describe('handlerRunner: when the site handlers must run', () => {
  it('skips dispatch for a router whose routes have no handlers', () => {
    const runs = handlerRunner(Router().get('/a').post('/a'));
    expect(runs('GET', '/a')).toBe(false);
  });

  it('runs dispatch where a route with a handler matches method and path', () => {
    const runs = handlerRunner(Router().get('/a').get('/health', answer));
    expect(runs('GET', '/health')).toBe(true);
    expect(runs('GET', '/a')).toBe(false);
    expect(runs('POST', '/health')).toBe(false);
  });

  it('runs dispatch for every method an all route with a handler matches', () => {
    const runs = handlerRunner(Router().all('/hooks/*', answer));
    expect(runs('DELETE', '/hooks/x')).toBe(true);
    expect(runs('DELETE', '/other')).toBe(false);
  });

  it('always runs dispatch when the router has before or finally middleware', () => {
    expect(handlerRunner(Router({ before: [() => undefined] }).get('/a'))('GET', '/b')).toBe(true);
    expect(handlerRunner(Router({ finally: [(r: unknown) => r] }).get('/a'))('GET', '/b')).toBe(true);
  });

  it('matches with the same RegExp itty dispatches with, trailing slashes included', () => {
    const runs = handlerRunner(Router().get('/items/:id', answer));
    expect(runs('GET', '/items/7/')).toBe(true);
    expect(runs('GET', '/items')).toBe(false);
  });
});
