/**
 * A raw HTTP/1.1 client (node:http): unlike fetch it sends any method (TRACE,
 * PROPFIND, QUERY), any path spelling, and does not follow redirects.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** false: send no Content-Length for the body (to frame it with Transfer-Encoding yourself). */
  readonly framing?: boolean;
}

/** `target` is sent exactly as given on the request line (no normalisation). */
export function send(
  base: string,
  target: string,
  { method = 'GET', headers = {}, body, framing = true }: RawRequest = {},
) {
  const { hostname, port } = new URL(base);
  // node frames no body for DELETE/OPTIONS unless told its length.
  const length = body === undefined || !framing ? {} : { 'content-length': String(Buffer.byteLength(body)) };
  return new Promise<RawResponse>((resolve, reject) => {
    const options = { hostname, port, path: target, method, headers: { ...length, ...headers }, agent: false };
    const req = httpRequest(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
