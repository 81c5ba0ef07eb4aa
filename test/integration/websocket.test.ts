/**
 * WebSocket upgrades through the guard in workerd: a real `ws` echo origin, a real
 * `ws` client, messages both ways, with and without CORS configured. The 101 the
 * origin answers must reach the client with the socket workerd attached to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type GuardServer, startGuard } from '../support/guard-server.ts';
import { startWebSocketOrigin, type WebSocketOrigin } from '../support/websocket-origin.ts';

const APP = 'https://app.example';

let origin: WebSocketOrigin;
let plain: GuardServer;
let cors: GuardServer;
beforeAll(async () => {
  origin = await startWebSocketOrigin();
  [plain, cors] = await Promise.all([
    startGuard({ ORIGIN: origin.url }, 'fixture'),
    startGuard({ ORIGIN: origin.url, CORS_ALLOW_ORIGINS: APP, CORS_ALLOW_CREDENTIALS: 'true' }, 'fixture'),
  ]);
});
afterAll(() => Promise.all([plain?.close(), cors?.close(), origin?.close()]));

interface Conversation {
  readonly status: number | undefined;
  readonly received: string[];
}

/** Opens a socket through `guard`, sends one message, and collects what comes back (greeting + echo). */
function converse(guard: GuardServer, headers: Record<string, string> = {}): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${guard.url.replace(/^http/, 'ws')}/ws`, { headers });
    const received: string[] = [];
    let status: number | undefined;
    socket.on('upgrade', (response) => {
      status = response.statusCode;
    });
    socket.on('unexpected-response', (_request, response) =>
      reject(new Error(`the upgrade was answered ${response.statusCode}`)),
    );
    socket.on('open', () => socket.send('ping'));
    socket.on('message', (data) => {
      received.push(data.toString());
      if (received.length === 2) socket.close();
    });
    socket.on('close', () => resolve({ status, received }));
    socket.on('error', reject);
  });
}

describe('WebSocket upgrades', () => {
  it('carries messages both ways through the guard without CORS', async () => {
    expect(await converse(plain)).toEqual({ status: 101, received: ['hello from the origin', 'echo: ping'] });
  });

  it('carries messages both ways when CORS is configured and the page origin is allowed', async () => {
    expect(await converse(cors, { origin: APP })).toEqual({
      status: 101,
      received: ['hello from the origin', 'echo: ping'],
    });
  });

  it('passes an upgrade from any page origin on: a WebSocket handshake is not subject to CORS', async () => {
    // Fetch standard, "establish a WebSocket connection": no CORS check; the origin judges Origin itself.
    const conversation = await converse(cors, { origin: 'https://elsewhere.example' });
    expect(conversation.received).toEqual(['hello from the origin', 'echo: ping']);
    expect(origin.upgrades.at(-1)?.origin).toBe('https://elsewhere.example');
  });
});
