/**
 * Headless Debian chromium through playwright-core: one browser per test file, a fresh context per test, page
 * errors collected (a test fails on an uncaught exception in the page), and DOM-state waits.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Where screenshots of the main views go: test artifacts under test-results/screenshots/ on every run; with
 * LLMCTL_UPDATE_SCREENSHOTS=1 the committed copies in e2e/screenshots/ (linked from the README) are refreshed.
 */
export const SCREENSHOT_DIR = process.env.LLMCTL_UPDATE_SCREENSHOTS === '1'
  ? fileURLToPath(new URL('../screenshots/', import.meta.url))
  : fileURLToPath(new URL('../../../../test-results/screenshots/', import.meta.url));

/** Default wait for a DOM state: generous, because waits end as soon as the state is reached. */
export const WAIT_MS = 15_000;

/** Launches headless chromium. Close it in `finally`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page in a fresh context, with uncaught page errors recorded in `errors`. */
export interface StudioPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Navigates to a studio path (relative to the server URL). */
  go(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a fresh context and page on `baseURL` (viewport 1280×800, timeouts {@link WAIT_MS}). */
export async function openPage(browser: Browser, baseURL: string): Promise<StudioPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(WAIT_MS);
  // tsx compiles with esbuild's keepNames, which wraps named functions in `__name(fn, "name")`; functions this
  // process hands to page.evaluate / addInitScript carry that call into the page, so the page gets a no-op __name.
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  // Confirm dialogs (delete model / flowchart) are accepted.
  page.on('dialog', (d) => void d.accept());
  return {
    context,
    page,
    errors,
    async go(path) {
      await page.goto(path, { waitUntil: 'domcontentloaded' });
    },
    close: () => context.close(),
  };
}

/** `[data-testid="…"]` locator. */
export function byTestId(page: Page | Locator, id: string): Locator {
  return page.locator(`[data-testid="${id}"]`);
}

/** CSS for `[data-testid="id"]` plus attribute equalities, e.g. `sel('node-state-A', { 'data-state': 'running' })`. */
export function sel(id: string, attrs: Record<string, string> = {}): string {
  return `[data-testid="${id}"]` + Object.entries(attrs).map(([k, v]) => `[${k}="${v}"]`).join('');
}

/** Waits until an element with the test id and attribute values is attached (a DOM-state wait, no sleeps). */
export async function waitFor(page: Page, id: string, attrs: Record<string, string> = {}, timeout = WAIT_MS): Promise<Locator> {
  const loc = page.locator(sel(id, attrs)).first();
  await loc.waitFor({ state: 'attached', timeout });
  return loc;
}

/** Waits until no element matches the test id and attribute values. */
export async function waitForGone(page: Page, id: string, attrs: Record<string, string> = {}, timeout = WAIT_MS): Promise<void> {
  await page.waitForFunction((css) => document.querySelector(css) === null, sel(id, attrs), { timeout });
}

/** Saves a PNG of the page as <SCREENSHOT_DIR>/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
