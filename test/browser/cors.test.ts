/**
 * CORS as a real browser enforces it: headless Chromium (Debian's package, driven
 * by playwright-core) loads a page from one local origin and calls the guard,
 * running in workerd on another, with fetch. A recording origin behind the guard
 * counts what gets through; Chromium's own network log (CDP) shows the preflights.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GuardServer, startGuard } from '../support/guard-server.ts';

const INSTALL = 'install it with `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH to a Chromium binary';

function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'chromium'));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return null;
}

const chromiumPath = findChromium();
if (chromiumPath === null) {
  // .ci/run installs Chromium: a skip there would hide a broken install.
  if (process.env.CI) throw new Error(`Chromium not found, and CI must run the browser tests: ${INSTALL}`);
  console.warn(`[browser] Chromium not found, browser tests skipped: ${INSTALL}`);
}

/** The page's own script: what a web app would run. Errors become values the test can read. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>method-guard CORS page</title>
<script>
  window.callGuard = async (url, init) => {
    try {
      const response = await fetch(url, init);
      return { status: response.status, allow: response.headers.get('Allow'), body: await response.text() };
    } catch (error) {
      return { error: String(error) };
    }
  };
</script>`;

interface CallResult {
  readonly status?: number;
  readonly allow?: string | null;
  readonly body?: string;
  readonly error?: string;
}

interface PageScript {
  callGuard(url: string, init: RequestInit): Promise<CallResult>;
}

describe.skipIf(chromiumPath === null)('CORS in headless Chromium', () => {
  let pageServer: Server;
  let pageOrigin: string;
  let guard: GuardServer;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  /** Preflights Chromium sent (method and URL), from its own network log. */
  const preflights: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    pageServer = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    const { port } = pageServer.address() as { port: number };
    // Origins compare as strings: the page must be loaded from exactly this one.
    pageOrigin = `http://127.0.0.1:${port}`;
    // max-age 0: every call shows its own preflight instead of one from Chromium's cache.
    guard = await startGuard({ CORS_ALLOW_ORIGINS: pageOrigin, CORS_MAX_AGE: '0' }, 'fixture');

    profile = mkdtempSync(join(tmpdir(), 'method-guard-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath as string,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.initiator.type === 'preflight') preflights.push(`${event.request.method} ${event.request.url}`);
    });
    await page.goto(`${pageOrigin}/`);
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await guard?.close();
    await new Promise((resolve) => pageServer?.close(resolve));
  });

  beforeEach(() => {
    preflights.length = 0;
    consoleErrors.length = 0;
  });

  const call = (path: string, init: RequestInit) =>
    page.evaluate(([url, init]) => (globalThis as unknown as PageScript).callGuard(url, init), [
      `${guard.url}${path}`,
      init,
    ] as const);

  it('lets the page PUT cross-origin after a preflight the edge answers, and only the PUT reaches the origin', async () => {
    const before = guard.origin.requests.length;
    const result = await call('/upload', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"cat.png"}',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ reached: 'origin', method: 'PUT', url: '/upload' });
    expect(preflights).toEqual([`OPTIONS ${guard.url}/upload`]);
    expect(guard.origin.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual(['PUT /upload']);
  });

  it('blocks a DELETE the path does not allow at the preflight, and the origin sees nothing', async () => {
    const before = guard.origin.started;
    const result = await call('/upload', { method: 'DELETE' });
    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(preflights).toEqual([`OPTIONS ${guard.url}/upload`]);
    expect(consoleErrors.join('\n')).toContain('blocked by CORS policy: Response to preflight request');
    expect(guard.origin.started).toBe(before);
  });

  it('lets the page read 405 and Allow on a simple POST to a GET-only path, with no preflight', async () => {
    const before = guard.origin.started;
    const result = await call('/hello', { method: 'POST', body: 'hello' });
    expect(result.status).toBe(405);
    expect(result.allow).toBe('GET, HEAD, OPTIONS');
    expect(preflights).toEqual([]);
    expect(guard.origin.started).toBe(before);
  });
});
