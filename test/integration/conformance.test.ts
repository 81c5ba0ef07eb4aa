/**
 * Conformance: every kind of answer the guard makes, collected from a real listener
 * (the bundle in workerd, a recording origin, a WebSocket origin), checked against
 * the table of rules in conformance-rules.ts, plus what reached the origin (Via,
 * Max-Forwards). One test per rule and answer, named after the rule and its section.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type GuardServer, startGuard, viaOf } from '../support/guard-server.ts';
import { type RawRequest, send } from '../support/http.ts';
import { startWebSocketOrigin, type WebSocketOrigin } from '../support/websocket-origin.ts';
import { type Answer, RULES } from './conformance-rules.ts';

const APP = 'https://app.example';
let guard: GuardServer;
let guard404: GuardServer;
let guard502: GuardServer;
let wsGuard: GuardServer;
let wsOrigin: WebSocketOrigin;
const answers: Answer[] = [];

async function collect(name: string, server: GuardServer, target: string, request: RawRequest, own: boolean) {
  const response = await send(server.url, target, request);
  const get = request.method === 'HEAD' ? await send(server.url, target, { headers: request.headers }) : undefined;
  answers.push({ name, method: request.method ?? 'GET', response, own, get });
}

function upgrade(server: GuardServer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`, { headers: { origin: APP } });
    socket.on('upgrade', (res) => {
      resolve({
        name: 'GET /ws upgrade (101 passed through)',
        method: 'GET',
        own: false,
        response: { status: res.statusCode ?? 0, headers: res.headers, body: '' },
      });
      socket.close();
    });
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  wsOrigin = await startWebSocketOrigin();
  const cors = { CORS_ALLOW_ORIGINS: APP, CORS_ALLOW_CREDENTIALS: 'true' };
  [guard, guard404, guard502, wsGuard] = await Promise.all([
    startGuard(cors, 'fixture'),
    startGuard({ UNMATCHED: '404' }, 'fixture'),
    startGuard({ ORIGIN: 'http://127.0.0.1:9' }, 'fixture'),
    startGuard({ ORIGIN: wsOrigin.url, ...cors }, 'fixture'),
  ]);
  const json = { accept: 'application/json' };
  await collect('POST /hello (405, text)', guard, '/hello', { method: 'POST' }, true);
  await collect('POST /hello (405, problem+json)', guard, '/hello', { method: 'POST', headers: json }, true);
  await collect('OPTIONS /api/items (204)', guard, '/api/items', { method: 'OPTIONS' }, true);
  const preflight = (method: string) => ({ origin: APP, 'access-control-request-method': method });
  await collect('preflight granted', guard, '/api/items/1', { method: 'OPTIONS', headers: preflight('PUT') }, true);
  await collect('preflight refused', guard, '/api/items', { method: 'OPTIONS', headers: preflight('DELETE') }, true);
  await collect('ambiguous path (400)', guard, '/hello%2Fx', { headers: json }, true);
  await collect('GET with a body (400)', guard, '/hello', { body: 'x' }, true);
  await collect('unmatched (404)', guard404, '/nowhere', {}, true);
  await collect('origin down (502)', guard502, '/hello', { headers: json }, true);
  await collect('loop (508)', guard, '/hello', { headers: { via: viaOf(guard) } }, true);
  await collect(
    'OPTIONS Max-Forwards: 0 (204)',
    guard,
    '/anything/x',
    { method: 'OPTIONS', headers: { 'max-forwards': '0' } },
    true,
  );
  await collect(
    'TRACE Max-Forwards: 0 (200)',
    guard,
    '/debug/trace',
    { method: 'TRACE', headers: { 'max-forwards': '0' } },
    true,
  );
  await collect('HEAD on an edge GET', guard, '/edge', { method: 'HEAD', headers: { origin: APP } }, false);
  await collect('HEAD on a sized edge GET', guard, '/sized', { method: 'HEAD' }, false);
  await collect('HEAD on a forwarded GET', guard, '/hello', { method: 'HEAD', headers: { origin: APP } }, false);
  await collect('forwarded GET', guard, '/hello', { headers: { origin: APP } }, false);
  answers.push(await upgrade(wsGuard));
});
afterAll(() => Promise.all([guard, guard404, guard502, wsGuard].map((g) => g?.close())).then(() => wsOrigin?.close()));

describe('every answer against the rules table', () => {
  for (const rule of RULES) {
    it(`${rule.cite}: ${rule.rule}`, () => {
      const applied = answers.filter(rule.applies);
      expect(applied.length, 'the rule applies to at least one collected answer').toBeGreaterThan(0);
      const violations = applied.flatMap((a) => {
        const v = rule.violation(a);
        return v ? [`${a.name}: ${v}`] : [];
      });
      expect(violations.join('\n')).toBe('');
    });
  }
});

describe('what reached the origin', () => {
  it('RFC 9110 §7.6.3: every forwarded request carries the guard’s Via entry', () => {
    expect(guard.origin.requests.length).toBeGreaterThan(0);
    for (const r of guard.origin.requests) expect(r.headers.via).toContain(viaOf(guard));
  });

  it('RFC 9110 §7.6.2: no OPTIONS or TRACE with Max-Forwards: 0 was forwarded', () => {
    const lastHop = guard.origin.requests.filter((r) => r.headers['max-forwards'] === '0');
    expect(lastHop.filter((r) => r.method === 'OPTIONS' || r.method === 'TRACE')).toEqual([]);
  });

  it('RFC 9110 §15.5.6: no refused or edge-answered request reached the origin', () => {
    expect([...new Set(guard.origin.requests.map((r) => `${r.method} ${r.url}`))].sort()).toEqual([
      'GET /hello',
      'HEAD /hello',
    ]);
  });
});
