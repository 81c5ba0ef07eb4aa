/**
 * Where a request spends workerd's time, from a V8 CPU profile taken through
 * workerd's inspector while wrk (or autocannon) loads one request shape:
 *
 *   node bench/profile.ts                       DELETE /api/items (the 405), default settings
 *   node bench/profile.ts -- --method=OPTIONS   any method/path; --var=NAME=value for settings
 *
 * Prints self time by function (JS and the runtime's native calls V8 sees, e.g.
 * `get` for Headers#get) and by source file, as shares of the samples; the
 * rest of a request's cost is workerd's own C++ (HTTP parsing, I/O), which V8
 * counts as "(program)" or "(idle)".
 */
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { buildConfig, WORKERS } from './bundle.ts';
import { startWorkerd } from './e2e.ts';
import { load } from './load.ts';
import { table } from './report.ts';

const { values: args } = parseArgs({
  options: {
    method: { type: 'string', default: 'DELETE' },
    path: { type: 'string', default: '/api/items' },
    status: { type: 'string', default: '405' },
    seconds: { type: 'string', default: '8' },
    interval: { type: 'string', default: '200' },
    var: { type: 'string', multiple: true, default: [] },
    worker: { type: 'string', default: 'method-guard' },
  },
});

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** A minimal Chrome DevTools Protocol client: one request at a time. */
async function inspector(port: number) {
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = list[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('workerd inspector lists no target');
  const socket = new WebSocket(url);
  await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  let id = 0;
  return {
    send<T>(method: string, params: object = {}): Promise<T> {
      const mine = ++id;
      socket.send(JSON.stringify({ id: mine, method, params }));
      return new Promise((done) => {
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(String(data)) as { id?: number; result: T };
          if (message.id !== mine) return;
          socket.off('message', onMessage);
          done(message.result);
        };
        socket.on('message', onMessage);
      });
    },
    close: () => socket.close(),
  };
}

const vars = Object.fromEntries(args.var.map((v) => v.split(/=(.*)/s).slice(0, 2) as [string, string]));
// Unminified, so the profile names functions as the source does.
const config = WORKERS[args.worker as keyof typeof WORKERS];
const bundle = await buildConfig(`${args.worker}-profile`, config, false, 'bench/results', ['--no-minify']);
const port = await freePort();
const worker = await startWorkerd(bundle, { ORIGIN: 'http://127.0.0.1:9', ...vars }, [
  `--inspector-addr=127.0.0.1:${port}`,
]);
try {
  const ask = { url: `${worker.url}${args.path}`, method: args.method, expectedStatus: Number(args.status) };
  await load({ ...ask, seconds: 2 }); // warm: the JIT settles before sampling
  const cdp = await inspector(port);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: Number(args.interval) });
  await cdp.send('Profiler.start');
  const loaded = await load({ ...ask, seconds: Number(args.seconds), pid: worker.pid });
  const { profile } = await cdp.send<{ profile: Profile }>('Profiler.stop');
  cdp.close();

  const self = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^.*\//, '') : '(native)';
    const name = `${functionName || '(anonymous)'} ${url ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const share = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const perRequest = (us: number) => `${(us / loaded.requests).toFixed(2)} µs`;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => [k, share(us), perRequest(us)]);
  console.log(
    `${args.method} ${args.path} on ${args.worker} ${JSON.stringify(vars)}: ${loaded.requests} requests, ` +
      `${loaded.rps.toFixed(0)} req/s, ${loaded.cpuUs.toFixed(1)} µs CPU/request (workerd, whole process, profiler on)`,
  );
  console.log(table(['self time, by function', 'share', 'per request'], top(byFunction, 30)));
  console.log(table(['self time, by file', 'share', 'per request'], top(byFile, 12)));
} finally {
  await worker.close();
}
