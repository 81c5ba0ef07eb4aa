/**
 * `npm start`: a demo origin on :9000 that prints what reaches it, and `wrangler
 * dev` on http://127.0.0.1:8787 guarding it with src/routes.ts. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startRecordingOrigin } from './recording-origin.ts';

const originPort = Number(process.env.DEMO_ORIGIN_PORT ?? 9000);
const guardPort = Number(process.env.PORT ?? 8787);

// wrangler would print a stack trace for a busy port, or quietly pick another one.
const guardPortFree = await new Promise<boolean>((resolve) => {
  const probe = createServer()
    .once('error', () => resolve(false))
    .listen(guardPort, '127.0.0.1', () => probe.close(() => resolve(true)));
});
if (!guardPortFree) {
  console.error(`Port ${guardPort} is in use: stop what runs there or set PORT.`);
  process.exit(1);
}

const origin = await startRecordingOrigin({
  port: originPort,
  onRequest: (r) => console.log(`[origin] ${r.method} ${r.url} (${r.bodyBytes} body bytes)`),
}).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${originPort} is in use: stop what runs there or set DEMO_ORIGIN_PORT.`
      : `Could not start the demo origin: ${error.message}`,
  );
  process.exit(1);
});

console.log(`[origin] demo origin on ${origin.url}`);
console.log(`[guard]  try: curl -i http://127.0.0.1:${guardPort}/hello`);
console.log(`[guard]       curl -i -X POST http://127.0.0.1:${guardPort}/hello`);

const wrangler = spawn(
  process.execPath,
  [
    'node_modules/wrangler/bin/wrangler.js',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(guardPort),
    '--var',
    `ORIGIN:${origin.url}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { WRANGLER_SEND_METRICS: 'false', ...process.env } },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  wrangler.kill('SIGINT');
  await origin.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 0));
