/**
 * Flowchart files in a real browser: a flowchart is exported as a JSON file from the list and from the editor, and
 * imported from a file on the list (a new flowchart) and in the editor (an unsaved, undoable replacement).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { FlowchartDocument } from '@llmctl/contracts';
import { byTestId, waitFor, waitForGone } from './support/browser.ts';
import { rfNode } from './support/canvas.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), text: await readFile(path, 'utf8') };
}

const file = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

describe('flowchart files', () => {
  const studio = useStudio();

  test('export from the list and the editor, import as a new flowchart and into the editor', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('filer', triageResponses());
    const id = await server.flowchart(triageDoc('Ticket triage', 'filer'));
    const saved = await server.api<{ document: FlowchartDocument }>('GET', `/api/flowcharts/${encodeURIComponent(id)}`);

    await studio.withPage(async ({ page, go }) => {
      await go('/flowcharts');
      await waitFor(page, 'flowchart-table');
      const exported = await downloadOf(page, () => byTestId(page, `export-flowchart-${id}`).click());
      assert.equal(exported.name, 'Ticket-triage.flowchart.json');
      assert.deepEqual(JSON.parse(exported.text), saved.document, 'the file is the stored document');

      // A file that is not JSON is refused with a message; nothing is created.
      await byTestId(page, 'import-flowchart-file').setInputFiles(file('broken.json', '{oops'));
      await page.locator('[data-testid="import-error"]', { hasText: 'not JSON' }).waitFor();

      // Importing the exported file (renamed) creates a new flowchart and opens it.
      const doc = { ...JSON.parse(exported.text), name: 'Imported triage' };
      await byTestId(page, 'import-flowchart-file').setInputFiles(file('imported.json', doc));
      await page.waitForURL((u) => u.pathname.startsWith('/flowcharts/') && !u.pathname.endsWith(id));
      await waitFor(page, 'flowchart-editor');
      assert.equal((await byTestId(page, 'flowchart-name').textContent())?.trim(), 'Imported triage');
      const list = await server.api<{ name: string }[]>('GET', '/api/flowcharts?q=Imported');
      assert.deepEqual(list.map((f) => f.name), ['Imported triage']);

      // The editor exports what is on the canvas, and imports a file as an unsaved, undoable change.
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      const fromEditor = await downloadOf(page, () => byTestId(page, 'export-button').click());
      const editorDoc = JSON.parse(fromEditor.text) as FlowchartDocument;
      assert.equal(editorDoc.name, 'Imported triage');
      assert.deepEqual(editorDoc.nodes.map((n) => n.id), doc.nodes.map((n: { id: string }) => n.id));
      const bigger = { ...editorDoc, nodes: [...editorDoc.nodes, { id: 'extra', type: 'memory', config: { mode: 'deterministic', op: 'add', text: 'x' } }] };
      await byTestId(page, 'import-file').setInputFiles(file('bigger.json', bigger));
      await rfNode(page, 'extra').waitFor({ state: 'attached' });
      await waitFor(page, 'dirty-indicator');
      await byTestId(page, 'undo-button').click();
      await rfNode(page, 'extra').waitFor({ state: 'detached' });
      await waitForGone(page, 'dirty-indicator');
    });
  });
});
