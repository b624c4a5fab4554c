/**
^ * Per-file e2e harness: one real server (serving the current studio build) and one chromium for the file, a fresh
 * browser context per test. A test fails on any uncaught exception in the page; on failure a screenshot of the page
 * goes to the OS temp dir (not into the repo) and its path is printed.
 */
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, type StudioPage } from './browser.ts';
import { startStudioServer, type StudioServer } from './studio-server.ts';

/** What a test file gets from {@link useStudio}. */
export interface StudioSuite {
  readonly server: StudioServer;
  readonly browser: Browser;
  /** Runs `fn` with a page in a fresh context; closes the context afterwards. */
  withPage(fn: (p: StudioPage) => Promise<void>): Promise<void>;
}

/**
 * Registers before/after hooks that start the server and the browser and stop them (browser first). Call it inside a
 * `describe`: suite hooks run before the root `after` hook that stops a private test cluster.
 */
export function useStudio(opts: Parameters<typeof startStudioServer>[0] = {}): StudioSuite {
  let server: StudioServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startStudioServer(opts);
    browser = await launchBrowser();
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
    }
  });
  const suite: StudioSuite = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('browser not started');
      return browser;
    },
    async withPage(fn) {
      const p = await openPage(suite.browser, suite.server.url);
      try {
        await fn(p);
        if (p.errors.length) throw new Error(`uncaught errors in the page:\n${p.errors.join('\n')}`);
      } catch (e) {
        const shot = join(tmpdir(), `llmctl-e2e-failure-${Date.now()}.png`);
        await p.page.screenshot({ path: shot }).then(() => console.error(`failure screenshot: ${shot} (page at ${p.page.url()})`), () => undefined);
        throw e;
      } finally {
        await p.close();
      }
    },
  };
  return suite;
}
