/**
 * Template variables in a real browser: the prompt field of a task offers the variables that node can read (input,
 * its upstream and context sources, node, run); a click inserts the placeholder, which then passes the save-time check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('template variable picker', () => {
  const studio = useStudio();

  test('the prompt offers what the node can read and a click inserts it', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('picker', triageResponses());
    const id = await server.flowchart(triageDoc('Picker', 'picker'));
    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await clickNode(page, 'merge');
      const chips = byTestId(page, 'template-vars-prompt').locator('button');
      await chips.first().waitFor();
      assert.deepEqual(await chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))), ['input', 'upstream.fix', 'upstream.reply', 'node.iteration', 'run.id']);
      await byTestId(page, 'template-vars-prompt').locator('button[data-path="upstream.fix"]').click();
      await page.waitForFunction(() => (document.querySelector('[data-testid="config-prompt"]') as HTMLTextAreaElement | null)?.value === 'Merge the results {{upstream.fix}}');
      await waitFor(page, 'dirty-indicator');
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitFor(page, 'problems', { 'data-warnings': '0' });
    });
  });
});
