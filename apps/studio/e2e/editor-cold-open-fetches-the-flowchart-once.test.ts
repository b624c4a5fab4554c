/**
 * A cold open of the editor requests the flowchart once: the route prefetches it while the editor's code loads, and
 * the editor, mounting right after, uses that answer instead of fetching the same document again (190 kB for a
 * 1,000-node flowchart).
 * State-gated: the editor's code is held back until the prefetch has been answered (so the editor surely mounts after
 * it), and the requests are counted once the editor has loaded and validated the document.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './support/browser.ts';
import { waitForValidationIdle } from './support/canvas.ts';
import { thousandNodes } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('editor cold open', () => {
  const studio = useStudio();

  test('requests the flowchart document once', { timeout: 120_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('once-model', [{ output: 'ok' }]);
    const id = await server.flowchart(thousandNodes('once-model'));
    await studio.withPage(async ({ page, go }) => {
      const gets: string[] = [];
      const isDoc = (r: { method(): string; url(): string }): boolean => r.method() === 'GET' && new URL(r.url()).pathname === `/api/flowcharts/${id}`;
      page.on('request', (r) => {
        if (isDoc(r)) gets.push(r.url());
      });
      let answered!: () => void;
      const prefetched = new Promise<void>((resolve) => (answered = resolve));
      page.on('requestfinished', (r) => {
        if (isDoc(r)) answered();
      });
      await page.route(/\/assets\/flowchart-editor-[^/]*\.js$/, async (route) => {
        await prefetched;
        await route.continue();
      });
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'canvas', { 'data-culled': 'true' });
      await waitForValidationIdle(page);
      await page.locator('.react-flow__node').first().waitFor();
      assert.equal(gets.length, 1, `GET /api/flowcharts/:id sent ${gets.length} times`);
    });
  });
});
