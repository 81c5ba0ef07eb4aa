/**
 * A real WebSocket origin (npm `ws` on node:http): it greets every connection,
 * echoes each message back, and records the upgrade requests that reached it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface WebSocketOrigin {
  readonly url: string;
  /** The headers of every upgrade request that reached the origin. */
  readonly upgrades: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startWebSocketOrigin(): Promise<WebSocketOrigin> {
  const upgrades: IncomingHttpHeaders[] = [];
  const server = createServer((_req, res) => res.writeHead(426, { upgrade: 'websocket' }).end());
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, request) => {
    upgrades.push(request.headers);
    socket.send('hello from the origin');
    socket.on('message', (data) => socket.send(`echo: ${data.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
