/**
 * `/migrations` in a real browser against a real server, with llmctl exports from packages/migrate's fixtures: a
 * pasted export is dry-run (batch table: ready and blocked), a blocked report shows its issues on the graph and listed,
 * a ready report shows the routing simulation side by side and is applied through the confirmation dialog; the
 * cutover checklist is rehearsed, turning the cutover on is refused with the blocking flowchart named (409
 * cutover_blocked), and after a roll back the switch turns on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { multiMatchWithJoin, untranslatableCondition } from '../../../packages/migrate/test/fixtures/legacy-graphs.ts';
import { byTestId, screenshot, waitFor } from './support/browser.ts';
import { useStudio } from './support/suite.ts';

const graph = <T extends { source: string }>({ source: _s, ...g }: T): Omit<T, 'source'> => g;

describe('migrations page', () => {
  const studio = useStudio();

  test('an export is dry-run, explained, applied, rehearsed, blocks the cutover and is rolled back', { timeout: 240_000 }, async () => {
    const { server } = studio;
    await server.scriptedModel('demo', [{ output: { route_key: 'approve', message: 'fine' } }]);
    const exportText = JSON.stringify({ flowcharts: [graph(multiMatchWithJoin), graph(untranslatableCondition)] });

    await studio.withPage(async ({ page, go }) => {
      await go('/migrations');
      await byTestId(page, 'migration-source').fill(exportText);
      await byTestId(page, 'migration-model-map').fill('{ "7": "demo" }');
      await byTestId(page, 'migration-run').click();
      await waitFor(page, 'batch-row-41', { 'data-status': 'ready' });
      await waitFor(page, 'batch-row-100', { 'data-status': 'blocked' });
      assert.match((await byTestId(page, 'batch-summary').textContent()) ?? '', /2 flowchart\(s\): 1 ready, 1 blocked \(dry run\)/);

      // The blocked report: every issue listed, and those with a node/edge id drawn on the graph.
      await byTestId(page, 'open-report-100').click();
      await waitFor(page, 'migration-report', { 'data-status': 'blocked' });
      const issues = await page.locator('[data-testid="report-issue"][data-severity="error"]').count();
      assert.ok(issues > 0, 'a blocked report lists its errors');
      const stored = await server.api('GET', `/api/migrations/${decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)}`);
      const placed = (stored.report.issues as { node_id?: string; edge_id?: string }[]).filter((i) => i.node_id ?? i.edge_id);
      for (const i of placed) {
        const id = i.node_id ? `report-node-${i.node_id}` : `report-edge-${i.edge_id}`;
        assert.notEqual(await byTestId(page, id).getAttribute('data-severity'), 'none', `${id} carries its issue`);
      }
      assert.equal(await byTestId(page, 'report-apply').isDisabled(), true, 'a blocked report cannot be applied');
      await screenshot(page, 'migration-report-blocked');

      // The ready report: the simulation side by side, then apply through the dialog.
      await page.goBack();
      await waitFor(page, 'migrations-page');
      await go('/migrations');
      await page.locator('[data-testid="stored-reports"] tr', { hasText: 'triage-multi-match' }).getByText('Open').click();
      await waitFor(page, 'migration-report', { 'data-status': 'ready' });
      const cases = page.locator('[data-testid="simulation-case"]');
      assert.equal(await cases.count(), 8);
      assert.equal(await page.locator('[data-testid="simulation-case"][data-equal="true"]').count(), 8);
      await byTestId(page, 'report-apply').click();
      await waitFor(page, 'confirm-dialog');
      await byTestId(page, 'confirm-ok').click();
      await waitFor(page, 'report-applied-as');
      let checklist = await server.api('GET', '/api/migrations/cutover');
      assert.equal(checklist.imported, 1);
      assert.equal(checklist.enabled, false, 'the first applied import turns the cutover off');

      // Rehearsal from the checklist.
      await go('/migrations');
      await waitFor(page, 'cutover', { 'data-enabled': 'false' });
      await byTestId(page, 'cutover-rehearse').click();
      await page.locator('[data-testid="rehearsal-41"]:not([data-status="none"])').waitFor({ timeout: 150_000 });
      checklist = await server.api('GET', '/api/migrations/cutover');
      assert.equal(await byTestId(page, 'rehearsal-41').getAttribute('data-status'), checklist.flowcharts[0].rehearsal.status);

      // A later dry run of the same legacy flowchart that is blocked: turning the cutover on is refused, with reasons.
      const broken = structuredClone(graph(multiMatchWithJoin));
      (broken.nodes[2]!.config as { decision_conditions: { condition_text: string }[] }).decision_conditions[0]!.condition_text = 'value > 10';
      const again = await server.api('POST', '/api/migrations/flowcharts', { source: { flowcharts: [broken] }, model_map: { 7: 'demo' }, apply: false, strict: true });
      assert.equal(again.reports[0].compatibility_gate.status, 'blocked');
      await go('/migrations');
      await waitFor(page, 'cutover', { 'data-enabled': 'false' });
      await byTestId(page, 'cutover-toggle').click();
      await byTestId(page, 'confirm-ok').click();
      await waitFor(page, 'cutover-blocked');
      assert.match((await byTestId(page, 'cutover-blocker').first().textContent()) ?? '', /triage-multi-match \(legacy 41\)/);
      assert.equal((await server.api('GET', '/api/settings/runtime')).agent_runtime_cutover_enabled, false);
      await screenshot(page, 'migrations-cutover-blocked');

      // Roll back the applied import (it created the flowchart: it is deleted), then the cutover turns on.
      const applied = (await server.api('GET', '/api/migrations?per_page=50')).find((r: { applied_at: string | null }) => r.applied_at);
      await go(`/migrations/${encodeURIComponent(applied.id)}`);
      await byTestId(page, 'report-rollback').click();
      await byTestId(page, 'confirm-ok').click();
      await waitFor(page, 'rollback-done');
      await go('/migrations');
      await waitFor(page, 'cutover', { 'data-enabled': 'false' });
      await byTestId(page, 'cutover-toggle').click();
      await byTestId(page, 'confirm-ok').click();
      await waitFor(page, 'cutover', { 'data-enabled': 'true' });
      assert.equal((await server.api('GET', '/api/settings/runtime')).agent_runtime_cutover_enabled, true);
    });
  });
});
