/** Big bodies: refused without being read, or streamed both ways without buffering. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';

const MB = 1024 * 1024;
let guard: GuardServer;
beforeAll(async () => {
  guard = await startGuard({}, 'fixture');
});
afterAll(() => guard?.close());

interface Upload {
  status: number;
  /** Body bytes the client had written when the response headers arrived. */
  writtenAtResponse: number;
  body: string;
}

/**
 * Streams `total` bytes in 64 KiB chunks; `pauseAfter` bytes in, it waits for
 * `until()` (or 3 s) before sending the rest. Resolves on the response.
 */
function upload(method: string, path: string, total: number, pauseAfter = Infinity, until = () => false) {
  const { hostname, port } = new URL(guard.url);
  const chunk = Buffer.alloc(64 * 1024, 'u');
  return new Promise<Upload>((resolve, reject) => {
    let written = 0;
    let done = false;
    // An upload says what it is: a POST without a Content-Type is a form to Rack, whose `_method`
    // the guard reads before forwarding (docs/readings.md, body overrides).
    const headers = { 'content-length': String(total), 'content-type': 'application/octet-stream' };
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const writtenAtResponse = written;
      done = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, writtenAtResponse, body: Buffer.concat(parts).toString() });
        req.destroy();
      });
    });
    req.on('error', (error) => (done ? undefined : reject(error)));
    const pump = async () => {
      while (written < total && !done) {
        if (written === pauseAfter) {
          const started = Date.now();
          while (!until() && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
        }
        const part = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += part.length;
        if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      }
      if (!done) req.end();
    };
    pump().catch(reject);
  });
}

/**
 * Streams a `total`-byte body on a raw socket and stops writing as soon as a
 * response head arrives. Raw, because the server may close (even reset) the
 * connection after answering without reading the body: node's http client can
 * report that reset before the response it already received.
 */
function refusedUpload(method: string, path: string, total: number) {
  const { hostname, port } = new URL(guard.url);
  const chunk = Buffer.alloc(64 * 1024, 'u');
  return new Promise<{ head: string; writtenAtResponse: number }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let written = 0;
    let writtenAtResponse = -1;
    const finish = () => (writtenAtResponse >= 0 ? resolve({ head: received, writtenAtResponse }) : null);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (writtenAtResponse < 0 && received.includes('\r\n\r\n')) writtenAtResponse = written;
      if (writtenAtResponse >= 0) {
        finish();
        socket.destroy();
      }
    });
    socket.on('error', (error) => (finish() === null ? reject(error) : undefined));
    socket.on('close', () =>
      finish() === null ? reject(new Error(`closed with no response: ${received}`)) : undefined,
    );
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${total}\r\n\r\n`);
    const pump = async () => {
      while (written < total && writtenAtResponse < 0 && !socket.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += part.length;
        if (!socket.write(part)) await new Promise((r) => socket.once('drain', r));
      }
    };
    pump().catch(() => undefined);
  });
}

describe('a disallowed method with a huge body', () => {
  it('gets its 405 before the 50 MB body is sent, and the origin sees nothing', async () => {
    const result = await refusedUpload('POST', '/hello', 50 * MB);
    expect(result.head).toMatch(/^HTTP\/1\.1 405 /);
    expect(result.writtenAtResponse).toBeLessThan(50 * MB);
    expect(guard.origin.started).toBe(0);
    expect(guard.origin.bytesArrived).toBe(0);
  });
});

describe('streaming through the guard', () => {
  it('streams a large upload to the origin before the client has finished sending it', async () => {
    const arrivedBefore = guard.origin.bytesArrived;
    // Send 1 MiB, then hold the rest back until the origin has seen bytes arrive.
    const result = await upload('PUT', '/upload', 64 * MB, 1 * MB, () => guard.origin.bytesArrived > arrivedBefore);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ method: 'PUT', bodyBytes: 64 * MB });
    const last = guard.origin.requests.at(-1);
    expect(last?.bodyBytes).toBe(64 * MB);
  });

  it('proves the upload was not buffered: the origin saw bytes while the client was paused', async () => {
    const arrivedBefore = guard.origin.bytesArrived;
    let sawEarlyBytes = false;
    await upload('POST', '/upload', 4 * MB, 1 * MB, () => {
      sawEarlyBytes = guard.origin.bytesArrived > arrivedBefore;
      return sawEarlyBytes;
    });
    expect(sawEarlyBytes).toBe(true);
  });

  it('streams a large download to the client', async () => {
    const response = await fetch(`${guard.url}/download/${100 * MB}`);
    expect(response.status).toBe(200);
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) bytes += chunk.length;
    expect(bytes).toBe(100 * MB);
  });

  it('delivers the first bytes of a response before the origin has finished it', async () => {
    const started = Date.now();
    // Ask for identity: local workerd gzips for clients that accept it, and a
    // compressor holds small chunks back (Cloudflare's edge flushes them).
    const response = await fetch(`${guard.url}/drip`, { headers: { 'accept-encoding': 'identity' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    expect(new TextDecoder().decode(first.value)).toBe('first\n');
    // The origin holds the last line back for 1.5 s: buffering would delay the first.
    expect(firstAt).toBeLessThan(1000);
    await reader.cancel();
  });
});
