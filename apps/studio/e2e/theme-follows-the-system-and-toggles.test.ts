/**
 * Light theme in a real browser: the studio follows the system colour scheme (also when it changes), and the toggle
 * in the navigation switches between system, light and dark, remembered across reloads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

/** Relative luminance (0..1) of the page background (the root element's). */
function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const m = /rgba?\((\d+), (\d+), (\d+)/.exec(getComputedStyle(document.documentElement).backgroundColor) ?? ['', '0', '0', '0'];
    const [r, g, b] = [m[1], m[2], m[3]].map((v) => Number(v) / 255) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
}

const theme = (page: Page): Promise<string | null> => page.evaluate(() => document.documentElement.getAttribute('data-theme'));

describe('theme', () => {
  const studio = useStudio();

  test('the studio follows the system colour scheme and the toggle switches system → light → dark', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('themed', triageResponses());
    const id = await server.flowchart(triageDoc('Themed', 'themed'));
    await studio.withPage(async ({ page, go }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitFor(page, 'theme-toggle', { 'data-theme-choice': 'system' });
      assert.equal(await theme(page), 'light');
      assert.ok((await backgroundLuminance(page)) > 0.8, 'light background');
      await screenshot(page, 'editor-light');

      // The system switches to dark: the page follows without a reload.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'dark');
      assert.ok((await backgroundLuminance(page)) < 0.1, 'dark background');

      // The toggle: system → light (even though the system is dark) → dark → system; the choice survives a reload.
      await byTestId(page, 'theme-toggle').click();
      await waitFor(page, 'theme-toggle', { 'data-theme-choice': 'light' });
      assert.equal(await theme(page), 'light');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await waitFor(page, 'theme-toggle', { 'data-theme-choice': 'light' });
      assert.equal(await theme(page), 'light');
      await byTestId(page, 'theme-toggle').click();
      await waitFor(page, 'theme-toggle', { 'data-theme-choice': 'dark' });
      assert.equal(await theme(page), 'dark');
      await byTestId(page, 'theme-toggle').click();
      await waitFor(page, 'theme-toggle', { 'data-theme-choice': 'system' });
      assert.equal(await theme(page), 'dark');
    });
  });
});
