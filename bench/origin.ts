/**
 * The bench's origin: node `http`, keep-alive, a small fixed answer and no
 * bookkeeping (scripts/recording-origin.ts keeps every request: a million would
 * grow it). Run as its own process so the load generator does not share its
 * event loop; prints its URL on the first line of stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = Buffer.from('{"reached":"origin"}\n');

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
    res.end(req.method === 'HEAD' ? undefined : BODY);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
