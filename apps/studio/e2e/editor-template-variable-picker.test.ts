/**
 * Template variables in a real browser: the prompt field of a task offers the variables that node can read (input,
 * its upstream and context sources, node, run); a click inserts the placeholder, which then passes the save-time check.
 * Typing `{{` or `upstream.` in a prompt, or a `root.` path in a condition, opens an inline list navigable by keyboard.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
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

  test('typing {{ or upstream. offers the known names inline; arrows, Enter, Tab insert and Escape closes', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('autocomplete', triageResponses());
    const id = await server.flowchart(triageDoc('Autocomplete', 'autocomplete'));
    await studio.withPage(async ({ page, go }) => {
      const prompt = byTestId(page, 'config-prompt');
      const current = () => prompt.inputValue();
      const options = () => byTestId(page, 'autocomplete-config-prompt').locator('[role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await clickNode(page, 'merge');
      await prompt.click();
      await prompt.press('Control+End');
      await page.keyboard.type(' {{ups');
      await waitFor(page, 'autocomplete-config-prompt');
      assert.deepEqual(await options(), ['upstream.fix', 'upstream.fix.text', 'upstream.reply', 'upstream.reply.text']);
      await screenshot(page, 'editor-autocomplete');
      await page.keyboard.press('ArrowDown');
      await waitFor(page, 'autocomplete-config-prompt').then((l) => l.locator('[aria-selected="true"][data-path="upstream.fix.text"]').waitFor());
      await page.keyboard.press('Enter');
      await waitForGone(page, 'autocomplete-config-prompt');
      assert.equal(await current(), 'Merge the results {{upstream.fix.text}}');

      // A bare `upstream.` inserts the whole placeholder; Escape closes the list and leaves the text as typed.
      await page.keyboard.type(' and upstream.r');
      await waitFor(page, 'autocomplete-config-prompt');
      assert.deepEqual(await options(), ['upstream.reply', 'upstream.reply.text']);
      await page.keyboard.press('Escape');
      await waitForGone(page, 'autocomplete-config-prompt');
      assert.equal(await current(), 'Merge the results {{upstream.fix.text}} and upstream.r');
      await page.keyboard.type('e');
      await waitFor(page, 'autocomplete-config-prompt');
      await page.keyboard.press('Tab');
      await waitForGone(page, 'autocomplete-config-prompt');
      assert.equal(await current(), 'Merge the results {{upstream.fix.text}} and {{upstream.reply}}');
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await waitFor(page, 'problems', { 'data-warnings': '0' });

      // A condition offers the source's output and scope as bare JSONata paths.
      await clickNode(page, 'route');
      await byTestId(page, 'tab-routing').click();
      const cond = byTestId(page, 'condition-e3');
      await cond.click();
      await cond.press('Control+End');
      await page.keyboard.type(' and upstream.');
      await waitFor(page, 'autocomplete-condition-e3');
      assert.deepEqual(await byTestId(page, 'autocomplete-condition-e3').locator('[role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))), ['upstream.classify', 'upstream.classify.text']);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await waitForGone(page, 'autocomplete-condition-e3');
      assert.equal(await cond.inputValue(), "output.text = 'bug' and upstream.classify.text");
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
    });
  });
});
