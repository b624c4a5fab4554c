/**
 * `/settings` in a real browser against a real server: each backend is explained in one sentence and only the blocks
 * it uses are shown; an invalid image tag and digest and a zero timeout are refused by the server (400
 * validation_failed) and each error is shown on its field; fixed values save and the server stores them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
import { useStudio } from './support/suite.ts';

const fieldOf = (id: string) => `.field:has([data-testid="${id}"])`;

describe('runtime settings page', () => {
  const studio = useStudio();

  test('blocks follow the backend, server errors land on their fields, a valid edit saves', { timeout: 90_000 }, async () => {
    const { server } = studio;
    await studio.withPage(async ({ page, go }) => {
      await go('/settings');
      await waitFor(page, 'runtime-settings-fields', { 'data-backend': 'inline' });
      assert.match((await byTestId(page, 'backend-help').textContent()) ?? '', /inside the server process/);
      for (const b of ['timeouts', 'guardrails', 'retention']) await waitFor(page, `settings-block-${b}`);
      for (const b of ['queue', 'images', 'kubernetes']) assert.equal(await byTestId(page, `settings-block-${b}`).count(), 0, `${b} hidden for inline`);

      await byTestId(page, 'setting-executor').selectOption('queue');
      await waitFor(page, 'settings-block-queue');
      assert.equal(await byTestId(page, 'settings-block-kubernetes').count(), 0);
      assert.match((await byTestId(page, 'backend-help').textContent()) ?? '', /llmctl worker/);

      await byTestId(page, 'setting-executor').selectOption('kubernetes');
      await waitFor(page, 'settings-block-kubernetes');
      await waitFor(page, 'settings-block-images');
      await waitForGone(page, 'settings-block-queue');
      await byTestId(page, 'settings-show-all').check();
      await waitFor(page, 'settings-block-queue');

      // Invalid values: the server's 400 errors are shown per field.
      await byTestId(page, 'setting-images.frontier.tag').fill('bad tag!');
      await byTestId(page, 'setting-images.vllm.digest').fill('sha256:nothex');
      await byTestId(page, 'setting-timeouts.node_timeout_s').fill('0');
      await byTestId(page, 'settings-save').click();
      await page.locator(`${fieldOf('setting-images.frontier.tag')}.has-error`).waitFor();
      await page.locator(`${fieldOf('setting-images.vllm.digest')}.has-error`).waitFor();
      await page.locator(`${fieldOf('setting-timeouts.node_timeout_s')}.has-error`).waitFor();
      assert.equal(await page.locator(`${fieldOf('setting-images.frontier.repository')}.has-error`).count(), 0, 'a valid field has no error');
      assert.equal((await server.api('GET', '/api/settings/runtime')).executor, 'inline', 'nothing was saved');
      await screenshot(page, 'runtime-settings-errors');

      // Fixed: saved as entered.
      const digest = `sha256:${'a'.repeat(64)}`;
      await byTestId(page, 'setting-images.frontier.tag').fill('0.2.0');
      await byTestId(page, 'setting-images.vllm.digest').fill(digest);
      await byTestId(page, 'setting-timeouts.node_timeout_s').fill('900');
      await byTestId(page, 'setting-kubernetes.namespace').fill('agents');
      await byTestId(page, 'settings-save').click();
      await waitFor(page, 'settings-saved');
      const saved = await server.api('GET', '/api/settings/runtime');
      assert.deepEqual([saved.executor, saved.images.frontier.tag, saved.images.vllm.digest, saved.timeouts.node_timeout_s, saved.kubernetes.namespace], ['kubernetes', '0.2.0', digest, 900, 'agents']);
    });
  });
});
