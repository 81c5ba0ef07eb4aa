/**
 * A real node `http` origin that records every request it receives: the demo
 * origin behind `npm start`, and the origin the integration tests count hits on.
 * It answers with a JSON echo of what reached it, and has a few special paths
 * for tests: /download/<bytes> streams that many bytes, /redirect answers 302,
 * /drip sends a first line, then the last one 1.5 s later (proves streaming),
 * /cors-star answers with the origin's own `Access-Control-Allow-Origin: *`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly bodyBytes: number;
  /** SHA-256 of the body as it arrived (hex): proves a body passed through unchanged. */
  readonly bodySha256: string;
}

export interface RecordingOrigin {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that have started arriving (headers seen), even if the body is still coming. */
  started: number;
  /** Body bytes received so far, across all requests, counted as they arrive. */
  bytesArrived: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

function streamBytes(res: import('node:http').ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  let left = total;
  const pump = () => {
    while (left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

export interface OriginOptions {
  readonly port?: number;
  readonly host?: string;
  /** Called once a request's body has fully arrived (the demo prints it). */
  readonly onRequest?: (request: RecordedRequest) => void;
}

export async function startRecordingOrigin({
  port = 0,
  host = '127.0.0.1',
  onRequest,
}: OriginOptions = {}): Promise<RecordingOrigin> {
  const requests: RecordedRequest[] = [];
  const origin = { requests, started: 0, bytesArrived: 0 } as unknown as RecordingOrigin & { server: Server };
  const server = createServer((req, res) => {
    origin.started++;
    let bodyBytes = 0;
    const hash = createHash('sha256');
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      hash.update(chunk);
      origin.bytesArrived += chunk.length;
    });
    req.on('end', () => {
      const record = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        bodyBytes,
        bodySha256: hash.digest('hex'),
      };
      requests.push(record);
      onRequest?.(record);
      const download = /^\/download\/(\d+)$/.exec(record.url);
      if (download) return streamBytes(res, Number(download[1]));
      if (record.url === '/drip') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first\n');
        return void setTimeout(() => res.end('last\n'), 1500);
      }
      if (record.url === '/cors-star') {
        res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' });
        return void res.end('open to all\n');
      }
      if (record.url === '/redirect') {
        res.writeHead(302, { location: '/hello' });
        return void res.end();
      }
      const body = `${JSON.stringify({ reached: 'origin', method: record.method, url: record.url, bodyBytes }, null, 2)}\n`;
      res.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'recording' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  server.keepAliveTimeout = 1000;
  // A busy port is an 'error' event, not a listen callback: reject so callers can name the port.
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return Object.assign(origin, {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
