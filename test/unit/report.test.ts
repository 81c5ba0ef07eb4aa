import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap } from '../../src/guard/map/method-map.ts';
import { wouldDiffer } from '../../src/guard/report.ts';

const router = Router().get('/hello').get('/api/items/:id').put('/api/items/:id');

function reported(method: string, path: string, env: Record<string, string> = {}, headers: HeadersInit = {}) {
  const config = parseConfig(env);
  const url = new URL(path, 'http://guard.test');
  return wouldDiffer(
    decide(compileMethodMap(router.routes, config), { method, url, headers: new Headers(headers) }, config),
  );
}

describe('wouldDiffer: what report mode says enforce would have done', () => {
  it('says nothing about a request enforce forwards', () => {
    expect(reported('GET', '/hello')).toBeNull();
    expect(reported('DELETE', '/nowhere')).toBeNull();
  });

  it('reports a 405 as would-refuse', () => {
    expect(reported('POST', '/hello')).toEqual({ decision: 'would-refuse', status: 405 });
  });

  it('reports a smuggled override as would-refuse', () => {
    expect(reported('PUT', '/api/items/7', {}, { 'x-http-method-override': 'DELETE' })).toEqual({
      decision: 'would-refuse',
      status: 405,
    });
  });

  it('reports an ambiguous path as would-refuse 400', () => {
    expect(reported('GET', '/hello%3Bx=1')).toEqual({ decision: 'would-refuse', status: 400 });
  });

  it('reports an unmatched path under UNMATCHED=404 as would-refuse 404', () => {
    expect(reported('GET', '/nowhere', { UNMATCHED: '404' })).toEqual({ decision: 'would-refuse', status: 404 });
  });

  it('reports the OPTIONS the edge answers as would-answer', () => {
    expect(reported('OPTIONS', '/hello')).toEqual({ decision: 'would-answer', status: 204 });
  });

  it('reports a CORS preflight the edge answers as would-answer', () => {
    const preflight = { origin: 'https://app.example', 'access-control-request-method': 'PUT' };
    expect(reported('OPTIONS', '/api/items/7', { CORS_ALLOW_ORIGINS: 'https://app.example' }, preflight)).toEqual({
      decision: 'would-answer',
      status: 204,
    });
  });

  it('does not report a loop: both modes answer it 508', () => {
    const looped = { host: 'guard.test', via: '1.1 guard.test (method-guard)' };
    expect(reported('POST', '/hello', { MODE: 'report' })).toMatchObject({ decision: 'would-refuse', status: 405 });
    expect(reported('POST', '/hello', { MODE: 'report' }, looped)).toBeNull();
    // Report mode forwards a request enforce would refuse, so it ends the loop first; enforce refuses it anyway.
    expect(reported('POST', '/hello', {}, looped)).toMatchObject({ decision: 'would-refuse', status: 405 });
  });
});
