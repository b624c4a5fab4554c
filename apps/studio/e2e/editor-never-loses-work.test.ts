/**
 * Never lose work, in a real browser: leaving the editor with unsaved changes asks first (the studio's own dialog
 * for in-app navigation, `beforeunload` for reloads), the work is autosaved locally and offered back on reopen, undo
 * history survives a save, and a flowchart with errors is kept as a server-side draft (never a version).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId, waitFor, waitForGone } from './support/browser.ts';
import { clickNode } from './support/canvas.ts';
import { triageDoc, triageResponses } from './support/flowcharts.ts';
import { useStudio } from './support/suite.ts';

const localDraft = (page: Page, id: string): Promise<string | null> => page.evaluate((k) => localStorage.getItem(k), `llmctl.draft.${id}`);

describe('editor never loses work', () => {
  const studio = useStudio();

  test('unsaved changes: leaving asks, reload offers the local draft back, and undo survives a save', { timeout: 120_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('keeper', triageResponses());
    const id = await server.flowchart(triageDoc('Keep my work', 'keeper'));

    await studio.withPage(async ({ page, go }) => {
      const dialogs: string[] = [];
      page.on('dialog', (d) => dialogs.push(d.type()));
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await clickNode(page, 'classify');
      await byTestId(page, 'config-prompt').fill('Classify carefully: {{input.text}}');
      await waitFor(page, 'dirty-indicator');
      // Autosaved locally while unsaved.
      await page.waitForFunction((k) => (localStorage.getItem(k) ?? '').includes('Classify carefully'), `llmctl.draft.${id}`);

      // In-app navigation asks first; "Stay" keeps the editor and the changes.
      await byTestId(page, 'nav-flowcharts').click();
      await waitFor(page, 'leave-dialog');
      await byTestId(page, 'leave-stay').click();
      await waitForGone(page, 'leave-dialog');
      assert.equal(new URL(page.url()).pathname, `/flowcharts/${id}`);
      await waitFor(page, 'dirty-indicator');

      // A reload asks through beforeunload (accepted by the harness), then offers the local draft back.
      await page.reload({ waitUntil: 'domcontentloaded' });
      assert.ok(dialogs.includes('beforeunload'), `the reload asked first: ${dialogs.join(', ')}`);
      await waitFor(page, 'local-draft-offer');
      await byTestId(page, 'restore-local-draft').click();
      await waitFor(page, 'dirty-indicator');
      await clickNode(page, 'classify');
      assert.equal(await byTestId(page, 'config-prompt').inputValue(), 'Classify carefully: {{input.text}}');

      // Save; the local draft is gone; undo still works after the save.
      await byTestId(page, 'save-button').click();
      await waitFor(page, 'flowchart-version', { 'data-version': '2' });
      await waitForGone(page, 'dirty-indicator');
      await page.waitForFunction((k) => localStorage.getItem(k) === null, `llmctl.draft.${id}`);
      await byTestId(page, 'undo-button').click();
      await waitFor(page, 'dirty-indicator');
      await clickNode(page, 'classify');
      assert.equal(await byTestId(page, 'config-prompt').inputValue(), 'Classify: {{input.text}}');

      // "Discard and leave" leaves and forgets the local draft.
      await byTestId(page, 'nav-flowcharts').click();
      await byTestId(page, 'leave-discard').click();
      await waitFor(page, 'flowchart-table');
      assert.equal(await localDraft(page, id), null);
      const saved = await server.api<{ version: number; document: { nodes: { id: string; config?: { prompt?: string } }[] } }>('GET', `/api/flowcharts/${encodeURIComponent(id)}`);
      assert.equal(saved.version, 2);
      assert.equal(saved.document.nodes.find((n) => n.id === 'classify')?.config?.prompt, 'Classify carefully: {{input.text}}');
    });
  });

  test('a flowchart with errors is kept as a server-side draft on leaving, offered back on reopen, and never becomes a version', { timeout: 120_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('drafter', triageResponses());
    const id = await server.flowchart(triageDoc('Half done', 'drafter'));

    await studio.withPage(async ({ page, go }) => {
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await clickNode(page, 'route');
      await byTestId(page, 'tab-routing').click();
      await byTestId(page, 'condition-e3').fill('');
      await waitFor(page, 'validation-status', { 'data-valid': 'false' });

      // Saving a version is refused (422 flowchart_invalid), the version stays 1.
      await byTestId(page, 'save-button').click();
      await page.locator('.editor-error', { hasText: 'flowchart_invalid' }).waitFor();
      await waitFor(page, 'flowchart-version', { 'data-version': '1' });

      // Leaving offers to keep a draft.
      await byTestId(page, 'nav-flowcharts').click();
      await byTestId(page, 'leave-save-draft').click();
      await waitFor(page, 'flowchart-table');
      const draft = await server.api<{ validation: { valid: boolean; errors: { code: string }[] } }>('GET', `/api/flowcharts/${encodeURIComponent(id)}/draft`);
      assert.equal(draft.validation.valid, false);
      assert.ok(draft.validation.errors.some((e) => e.code === 'decision_condition_missing'));
      assert.equal((await server.api<{ version: number }>('GET', `/api/flowcharts/${encodeURIComponent(id)}`)).version, 1);

      // Reopening offers the server draft; opening it brings the error back, unsaved.
      await go(`/flowcharts/${encodeURIComponent(id)}`);
      await waitFor(page, 'server-draft-offer', { 'data-errors': '1' });
      await byTestId(page, 'open-server-draft').click();
      await waitFor(page, 'dirty-indicator');
      await waitFor(page, 'node-issue-route', { 'data-code': 'decision_condition_missing' });
      // Fixing and saving makes version 2 and removes the server draft.
      await clickNode(page, 'route');
      await byTestId(page, 'tab-routing').click();
      await byTestId(page, 'condition-e3').fill("output.text = 'bug'");
      await waitFor(page, 'validation-status', { 'data-valid': 'true' });
      await byTestId(page, 'save-button').click();
      await waitFor(page, 'flowchart-version', { 'data-version': '2' });
      await page.locator('[data-testid="editor-notice"]', { hasText: 'Saved version 2' }).waitFor();
      const gone = await server.server.request('GET', `/api/flowcharts/${encodeURIComponent(id)}/draft`);
      assert.equal(gone.status, 404, 'saving a version discards the draft');
    });
  });
});
