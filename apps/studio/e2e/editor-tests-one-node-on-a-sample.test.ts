/**
 * "Test this node" in a real browser: the inspector's Test tab of a task prefills the sample from the paths its
 * prompt reads, runs the node (with an unsaved prompt edit) on the chosen model and shows the rendered prompt, the raw
 * response, the parsed output and usage; a model failure and a template the sample lacks are coded errors in words.
 * No run is created.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

describe('test this node', () => {
  const studio = useStudio();

  test('a task runs once on an edited sample and shows prompt, raw response, output and usage; failures are coded errors', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('tester', triageResponses());
    await server.scriptedModel('tester-down', [{ output: 'never', fail_times: 99, fail_code: 'provider_unavailable' }]);
    const id = await server.flowchart(triageDoc('Node test', 'tester'));
    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await clickNode(page, 'fix');
      // An unsaved edit of the prompt is what gets tested.
      await byTestId(page, 'config-prompt').fill('Fix: {{input.text}} ({{input.severity}})');
      await waitFor(page, 'dirty-indicator');
      await byTestId(page, 'tab-test').click();
      const sample = byTestId(page, 'node-test-sample');
      await sample.waitFor();
      const prefilled = JSON.parse(await sample.inputValue());
      assert.deepEqual(prefilled.input, { text: '<input.text>', severity: '<input.severity>' });
      assert.deepEqual(prefilled.upstream, { route: {} });
      assert.equal(await byTestId(page, 'node-test-model').inputValue(), 'tester');

      await sample.fill(JSON.stringify({ input: { text: 'login crash', severity: 'high' }, upstream: { route: {} }, context: {} }, null, 2));
      await byTestId(page, 'node-test-run').click();
      await waitFor(page, 'node-test', { 'data-state': 'succeeded' });
      assert.equal(await byTestId(page, 'node-test-prompt').textContent(), 'Fix: login crash (high)');
      assert.equal(await byTestId(page, 'node-test-raw').textContent(), 'patched: login crash');
      assert.match((await byTestId(page, 'node-test-output').textContent()) ?? '', /patched: login crash/);
      assert.match((await byTestId(page, 'node-test-usage').textContent()) ?? '', /1 call/);
      await screenshot(page, 'editor-node-test');

      // A template path the sample lacks: coded, in words, and nothing is sent to the model.
      await sample.fill(JSON.stringify({ input: { text: 'login crash' } }));
      await byTestId(page, 'node-test-run').click();
      const templateError = await waitFor(page, 'node-test-error', { 'data-code': 'template_unresolved' });
      assert.match((await templateError.textContent()) ?? '', /sample has no input\.severity/);
      assert.equal(await byTestId(page, 'node-test-call').count(), 0);

      // The chosen model fails: the provider's code and a sentence for people, with the failed call shown.
      await sample.fill(JSON.stringify({ input: { text: 'x', severity: 'low' } }));
      await byTestId(page, 'node-test-model').selectOption('tester-down');
      await byTestId(page, 'node-test-run').click();
      const modelError = await waitFor(page, 'node-test-error', { 'data-code': 'provider_unavailable' });
      assert.match((await modelError.textContent()) ?? '', /could not be reached/);
      await waitFor(page, 'node-test-call', { 'data-status': 'failed' });
    });
    assert.equal((await server.api<unknown[]>('GET', '/api/runs')).length, 0);
  });
});
