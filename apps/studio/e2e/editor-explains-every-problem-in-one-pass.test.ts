/**
 * Validation in the user's language, in a real browser: every problem of a document is shown at once (a schema
 * problem does not hide the graph problems), worded for a person with the code kept, and template references are
 * checked at save time as warnings on the node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { byTestId, waitFor } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { useStudio } from './support/suite.ts';

describe('editor problems', () => {
  const studio = useStudio();

  test('a missing model, a bad condition and a dangling template reference are all reported in one pass, in words', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('worded', [{ output: 'ok' }]);
    const id = await server.flowchart({
      schema_version: 1,
      name: 'Worded problems',
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'classify', type: 'task', name: 'Classify', config: { model: 'worded', prompt: 'Classify {{input.text}}' } },
        { id: 'route', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
        { id: 'reply', type: 'task', name: 'Reply', config: { model: 'worded', prompt: 'Reply using {{upstream.nonexistent.x}}' } },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'classify' },
        { id: 'e2', source: 'classify', target: 'route' },
        { id: 'e3', source: 'route', target: 'reply', condition: "output.text = 'x'" },
        { id: 'e4', source: 'route', target: 'done', fallback: true },
        { id: 'e5', source: 'reply', target: 'done' },
      ],
    } as FlowchartDocument);

    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      // The dangling upstream reference is a warning on the node, shown although the flowchart is valid.
      await waitFor(page, 'node-issue-reply', { 'data-code': 'template_upstream_unknown' });
      await waitFor(page, 'problem', { 'data-code': 'template_upstream_unknown', 'data-severity': 'warning' });

      // Break two things: empty the model (a schema problem) and garble the condition (a graph problem). Both show
      // up together, with the warning (the editor validates through the API as you type).
      await clickNode(page, 'classify');
      await byTestId(page, 'config-model').selectOption('');
      await clickNode(page, 'route');
      await byTestId(page, 'tab-routing').click();
      await byTestId(page, 'condition-e3').fill("output.text = 'x");
      await waitFor(page, 'problem', { 'data-code': 'schema_invalid' });
      await waitFor(page, 'problem', { 'data-code': 'condition_invalid' });
      await waitFor(page, 'problem', { 'data-code': 'template_upstream_unknown' });
      const text = (await byTestId(page, 'problems').textContent()) ?? '';
      assert.match(text, /Task "Classify" needs a model/);
      assert.match(text, /not valid JSONata/);
      assert.match(text, /upstream "nonexistent"/);

      // The API agrees: one pass, errors and the warning together.
      const doc = (await server.api<{ document: FlowchartDocument }>('GET', `/api/flowcharts/${encodeURIComponent(id)}`)).document;
      (doc.nodes[1]!.config as Record<string, unknown>).model = '';
      doc.edges[2]!.condition = "output.text = 'x";
      const r = await server.api<{ errors: { code: string }[]; warnings: { code: string }[] }>('POST', '/api/flowcharts/validate', doc);
      assert.deepEqual(r.errors.map((e) => e.code).sort(), ['condition_invalid', 'schema_invalid']);
      assert.deepEqual(r.warnings.map((w) => w.code), ['template_upstream_unknown']);
    });
  });
});
