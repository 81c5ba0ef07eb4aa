/** Structured decision logs, read from the real Worker's stdout/stderr in workerd (test/fixtures/routes.ts). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionLog } from '../../src/guard/http/log.ts';
import { type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { send } from '../support/http.ts';

/** A line as logDecision writes it. */
type DecisionLine = DecisionLog & { readonly source: 'method-guard' };

function decisionLines(guard: GuardServer): DecisionLine[] {
  return guard.logs
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DecisionLine)
    .filter((entry) => entry.source === 'method-guard');
}

/** The one decision line logged for `path` (waits for workerd's stdout to arrive). */
async function lineFor(guard: GuardServer, path: string): Promise<DecisionLine> {
  await expect.poll(() => decisionLines(guard).filter((entry) => entry.path === path)).toHaveLength(1);
  return decisionLines(guard).find((entry) => entry.path === path) as DecisionLine;
}

/** Lines are written in request order: once a later refusal is logged, an earlier request's line would be too. */
async function linesBefore(guard: GuardServer, marker: string): Promise<DecisionLine[]> {
  await send(guard.url, marker, { method: 'TRACE' });
  await lineFor(guard, marker);
  const lines = decisionLines(guard);
  const markerAt = lines.findIndex((entry) => entry.path === marker);
  return lines.slice(0, markerAt);
}

describe('at the default LOG_LEVEL (info)', () => {
  let guard: GuardServer;
  beforeAll(async () => {
    guard = await startGuard({ UNMATCHED: '404', CORS_ALLOW_ORIGINS: 'https://app.example.com' }, 'fixture');
  });
  afterAll(() => guard.close());

  it('logs a 405 as one JSON line with method, path, Allow, status and the cf-ray', async () => {
    await send(guard.url, '/hello', { method: 'POST', headers: { 'cf-ray': '8f1e2d3c4b5a6978-AMS' } });
    expect(await lineFor(guard, '/hello')).toEqual({
      source: 'method-guard',
      level: 'info',
      decision: 'refuse',
      status: 405,
      method: 'POST',
      path: '/hello',
      allow: 'GET, HEAD, OPTIONS',
      detail: 'POST is not allowed on /hello',
      ray: '8f1e2d3c4b5a6978-AMS',
    });
  });

  it('logs a 400 with why the path is ambiguous', async () => {
    await send(guard.url, '/api/items%3Bjsessionid=1');
    expect(await lineFor(guard, '/api/items%3Bjsessionid=1')).toMatchObject({
      level: 'info',
      status: 400,
      method: 'GET',
      detail: 'ambiguous path refused: encoded ";" ("%3B"): origins disagree on whether it starts path parameters',
    });
  });

  it('logs a 404 for a path no route matches under UNMATCHED=404', async () => {
    await send(guard.url, '/nowhere', { method: 'DELETE' });
    expect(await lineFor(guard, '/nowhere')).toMatchObject({
      status: 404,
      method: 'DELETE',
      detail: 'no route matches /nowhere',
    });
  });

  it('logs a 508 at warn level when the request already passed through the guard', async () => {
    await send(guard.url, '/api/items/1', { headers: { via: viaOf(guard) } });
    const line = await lineFor(guard, '/api/items/1');
    expect(line).toMatchObject({ level: 'warn', decision: 'refuse', status: 508 });
    expect(line.detail).toContain('already passed through this guard');
  });

  it('logs a refused CORS preflight with the reason and the Allow of the path', async () => {
    await send(guard.url, '/api/items', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    expect(await lineFor(guard, '/api/items')).toMatchObject({
      level: 'info',
      decision: 'cors-refused',
      method: 'OPTIONS',
      allow: 'GET, HEAD, POST, OPTIONS',
      detail: 'origin https://evil.example is not in CORS_ALLOW_ORIGINS',
    });
  });

  it('does not log a forwarded request', async () => {
    const response = await send(guard.url, '/files/app.css');
    expect(response.status).toBe(200);
    expect((await linesBefore(guard, '/files/marker')).map((entry) => entry.path)).not.toContain('/files/app.css');
  });
});

describe('with the origin down', () => {
  let guard: GuardServer;
  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    guard = await startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture');
  });
  afterAll(() => guard.close());

  it('logs a 502 at warn level naming the origin', async () => {
    await send(guard.url, '/hello');
    const line = await lineFor(guard, '/hello');
    expect(line).toMatchObject({ level: 'warn', decision: 'origin-unreachable', status: 502, method: 'GET' });
    expect(line.detail).toContain('the origin http://127.0.0.1:9 could not be reached');
  });
});

describe('LOG_LEVEL', () => {
  let guard: GuardServer | undefined;
  afterEach(async () => {
    await guard?.close();
    guard = undefined;
  });

  it('warn drops info lines such as a 405', async () => {
    guard = await startGuard({ LOG_LEVEL: 'warn' }, 'fixture');
    await send(guard.url, '/hello', { method: 'POST' });
    await send(guard.url, '/marker', { headers: { via: viaOf(guard) } });
    await lineFor(guard, '/marker');
    expect(decisionLines(guard).map((entry) => entry.status)).toEqual([508]);
  });

  it('debug also logs each plain forward with the status the origin gave', async () => {
    guard = await startGuard({ LOG_LEVEL: 'debug' }, 'fixture');
    await send(guard.url, '/hello');
    expect(await lineFor(guard, '/hello')).toMatchObject({
      level: 'debug',
      decision: 'forward',
      status: 200,
      method: 'GET',
    });
  });

  it('off logs no decision, not even a 508', async () => {
    guard = await startGuard({ LOG_LEVEL: 'off' }, 'fixture');
    const response = await send(guard.url, '/hello', { headers: { via: viaOf(guard) } });
    expect(response.status).toBe(508);
    // Nothing to wait for: give workerd's stdout the time a line takes to arrive elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(decisionLines(guard)).toEqual([]);
  });

  it('that is unknown answers 500 and logs the error naming LOG_LEVEL', async () => {
    guard = await startGuard({ LOG_LEVEL: 'verbose' }, 'fixture');
    const response = await send(guard.url, '/hello');
    expect(response.status).toBe(500);
    const configErrors = () =>
      (guard?.logs ?? [])
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((entry) => entry.decision === 'config-error');
    await expect.poll(configErrors).toHaveLength(1);
    expect(configErrors()[0]).toMatchObject({
      level: 'error',
      status: 500,
      detail: 'method-guard: invalid LOG_LEVEL="verbose": expected one of "debug", "info", "warn", "error", "off"',
    });
  });
});
