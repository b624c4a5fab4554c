/**
 * `/models` in a real browser against a real server: a model is created through the form (with its client-side
 * validation), found by search, edited and deleted; the server's registry follows every step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, waitFor, waitForGone } from './support/browser.ts';
import { useStudio } from './support/suite.ts';

describe('models page', () => {
  const studio = useStudio();

  test('a model is created, found by search, edited and deleted', { timeout: 60_000 }, async () => {
    const { server } = studio;
    await server.api('POST', '/api/models', { name: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini' });
    await server.api('POST', '/api/models', { name: 'claude-haiku', provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
    await server.api('POST', '/api/models', { name: 'gemini-flash', provider: 'gemini', model: 'gemini-2.0-flash' });
    await server.scriptedModel('demo-classifier', [{ match: 'Classify', output: { category: 'bug' } }]);

    await studio.withPage(async ({ page, go }) => {
      await go('/models');
      await waitFor(page, 'models-table');
      await waitFor(page, 'pager-total');
      assert.equal((await byTestId(page, 'pager-total').textContent())?.trim(), 'total 4');

      // Create: the form refuses a vLLM model without a base URL, then creates it.
      await byTestId(page, 'new-model').click();
      await waitFor(page, 'model-form');
      await byTestId(page, 'model-name').fill('local-qwen');
      await byTestId(page, 'model-provider').selectOption('vllm');
      await byTestId(page, 'model-model').fill('Qwen/Qwen2.5-7B-Instruct');
      await byTestId(page, 'model-save').click();
      await page.locator('.field.has-error', { hasText: 'required for this provider' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/models/new');
      await byTestId(page, 'model-base-url').fill('http://127.0.0.1:8000/v1');
      await byTestId(page, 'model-save').click();
      await page.waitForURL(/\/models\/(?!new)[^/]+$/);
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      const created = await server.api('GET', `/api/models/${encodeURIComponent(id)}`);
      assert.deepEqual([created.name, created.provider, created.model, created.base_url], ['local-qwen', 'vllm', 'Qwen/Qwen2.5-7B-Instruct', 'http://127.0.0.1:8000/v1']);

      // Find: search by part of the name; the other models drop out of the list.
      await byTestId(page, 'nav-models').click();
      await waitFor(page, 'model-row-local-qwen');
      await screenshot(page, 'models');
      await byTestId(page, 'model-search').fill('qwen');
      await waitForGone(page, 'model-row-gpt-4o-mini');
      await waitFor(page, 'model-row-local-qwen', { 'data-provider': 'vllm' });
      assert.equal(await page.locator('[data-testid^="model-row-"]').count(), 1);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'qwen', 'the search is in the URL (deep link)');

      // Edit.
      await byTestId(page, 'model-row-local-qwen').click();
      await waitFor(page, 'model-form');
      await byTestId(page, 'model-model').fill('Qwen/Qwen2.5-14B-Instruct');
      await byTestId(page, 'model-base-url').fill('http://10.0.0.7:8000/v1');
      await byTestId(page, 'model-save').click();
      await waitFor(page, 'model-saved');
      const edited = await server.api('GET', `/api/models/${encodeURIComponent(id)}`);
      assert.deepEqual([edited.model, edited.base_url], ['Qwen/Qwen2.5-14B-Instruct', 'http://10.0.0.7:8000/v1']);

      // Delete (the confirm dialog is accepted); the list no longer finds it.
      await byTestId(page, 'model-delete').click();
      await page.waitForURL((u) => u.pathname === '/models');
      await byTestId(page, 'model-search').fill('qwen');
      await page.locator('[data-testid="empty"]', { hasText: 'No model matches.' }).waitFor();
      const gone = await server.server.request('GET', `/api/models/${encodeURIComponent(id)}`);
      assert.equal(gone.status, 404);
      assert.equal((await server.api<unknown[]>('GET', '/api/models')).length, 4);
    });
  });
});
