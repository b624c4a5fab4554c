/**
 * Every model call visible: a task node's "Model calls" tab shows, per attempt, the rendered prompts, model and
 * provider, settings, raw response, the tool call with its input and result, the parsed output, usage and latency —
 * from the durable journal, so it is still there after a reload; while the node runs, the streamed text shows there.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { HOLD_MS } from './support/flowcharts.ts';
import type { ScriptedResponse } from './support/studio-server.ts';
import { useStudio } from './support/suite.ts';

function agentDoc(model: string): FlowchartDocument {
  return {
    schema_version: 1, name: 'Remember and classify',
    nodes: [
      { id: 'start', type: 'start' },
      {
        id: 'agent', type: 'task', name: 'Agent',
        config: {
          model, system: 'You keep notes and classify tickets.', prompt: 'Remember and classify: {{input.text}}', tools: ['memory'], temperature: 0.3,
          output_schema: { type: 'object', required: ['category'], properties: { category: { type: 'string' } } },
        },
      },
      { id: 'done', type: 'end' },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'agent' }, { id: 'e2', source: 'agent', target: 'done' }],
  };
}

const responses = (delay = 0): ScriptedResponse[] => [
  { match: 'Remember', tool_calls: [{ name: 'memory', arguments: { op: 'add', text: '{{input.text}}' } }], output: { category: 'bug' }, delay_ms: delay } as ScriptedResponse,
];

describe('run view: model calls', () => {
  const studio = useStudio();

  test('a finished task node shows its prompts, response, tool call and parsed output per attempt, also after a reload', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('journal-e2e', responses());
    const fc = await server.flowchart(agentDoc('journal-e2e'));
    const runId = await server.startRun(fc, { text: 'crash on save' });
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      for (const pass of ['first view', 'after reload']) {
        if (pass === 'after reload') {
          await page.reload();
          await waitFor(page, 'run-status', { 'data-status': 'succeeded' });
        }
        await clickNode(page, 'agent');
        await waitFor(page, 'node-run-panel');
        await byTestId(page, 'tab-calls').click();
        await waitFor(page, 'model-call', { 'data-kind': 'agent_step', 'data-status': 'succeeded' });
        const calls = byTestId(page, 'model-call');
        assert.equal(await calls.count(), 2, pass);
        const first = calls.nth(0);
        assert.equal(await byTestId(first, 'model-call-system').textContent(), 'You keep notes and classify tickets.');
        assert.equal(await byTestId(first, 'model-call-user').textContent(), 'Remember and classify: crash on save');
        assert.equal((await byTestId(first, 'model-call-model').textContent())?.trim(), 'journal-e2e');
        assert.match((await byTestId(first, 'model-call-provider').textContent()) ?? '', /scripted/);
        assert.match((await byTestId(first, 'model-call-usage').textContent()) ?? '', /\d+ in \/ \d+ out tokens/);
        assert.match((await byTestId(first, 'model-call-latency').textContent()) ?? '', /\d+ ms/);
        assert.match((await byTestId(first, 'model-call-tool-requests').textContent()) ?? '', /"memory"/);
        assert.match((await byTestId(first, 'model-call-settings').textContent()) ?? '', /"temperature": 0\.3/);
        const tool = byTestId(page, 'tool-call');
        assert.match((await byTestId(tool, 'tool-call-input').textContent()) ?? '', /"text": "crash on save"/);
        assert.match((await byTestId(tool, 'tool-call-result').textContent()) ?? '', /"status": "success"/);
        const last = calls.nth(1);
        assert.match((await byTestId(last, 'model-call-response').textContent()) ?? '', /"category"/);
        assert.match((await byTestId(last, 'model-call-parsed').textContent()) ?? '', /"value": \{\s*"category": "bug"/);
      }
      await screenshot(page, 'run-view-model-calls');
    });
  });

  test('while a task node runs, its model-call tab shows the streaming area, then the recorded call once it answers', { timeout: 90_000 }, async () => {
    const { server } = studio;
    const model = await server.scriptedModel('journal-live', responses(HOLD_MS));
    const fc = await server.flowchart(agentDoc('journal-live'));
    const runId = await server.startRun(fc, { text: 'slow one' });
    await studio.withPage(async ({ page, go }) => {
      await go(`/runs/${encodeURIComponent(runId)}`);
      await waitFor(page, 'node-state-agent', { 'data-state': 'running' });
      await clickNode(page, 'agent');
      await byTestId(page, 'tab-calls').click();
      await waitFor(page, 'model-calls-streaming');
      await server.release(runId, model, responses(0));
      await waitFor(page, 'run-status', { 'data-status': 'succeeded' }, 30_000);
      await waitFor(page, 'model-call', { 'data-kind': 'agent_step', 'data-status': 'succeeded' });
      // The attempt interrupted by the release's pause-now is listed, marked interrupted (not failed).
      assert.ok((await byTestId(page, 'attempt-calls').count()) >= 2);
    });
  });
});
