/**
 * The model form in a real browser: a model of every provider is created through the form with only its required
 * fields filled (optional fields left empty), and the stored model has no empty-string fields. Regression: a
 * scripted model created with the inserted example failed with `model: Too small` because the form sent `""`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { byTestId, waitFor } from './support/browser.ts';
import { useStudio } from './support/suite.ts';

interface Case {
  provider: string;
  model: string;
  baseUrl?: string;
  settings?: string;
}

const CASES: Case[] = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
  { provider: 'gemini', model: 'gemini-2.0-flash' },
  { provider: 'vllm', model: 'Qwen/Qwen2.5-7B-Instruct', baseUrl: 'http://127.0.0.1:8000/v1' },
  { provider: 'openai_compatible', model: 'llama3', baseUrl: 'http://127.0.0.1:11434/v1', settings: '{ "temperature": 0.2 }' },
  { provider: 'scripted', model: '' },
];

/** Every string value (deeply) of the stored model that is empty, as `path` strings. */
function emptyStrings(v: unknown, path = ''): string[] {
  if (v === '') return [path || '(root)'];
  if (Array.isArray(v)) return v.flatMap((x, i) => emptyStrings(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => emptyStrings(x, path ? `${path}.${k}` : k));
  return [];
}

async function createThroughForm(page: Page, c: Case, name: string): Promise<string> {
  await byTestId(page, 'model-name').fill(name);
  await byTestId(page, 'model-provider').selectOption(c.provider);
  if (c.model) await byTestId(page, 'model-model').fill(c.model);
  if (c.baseUrl) await byTestId(page, 'model-base-url').fill(c.baseUrl);
  if (c.provider === 'scripted') await byTestId(page, 'scripted-insert-example').click();
  else if (c.settings) await byTestId(page, 'model-settings').fill(c.settings);
  await byTestId(page, 'model-save').click();
  await page.waitForURL(/\/models\/(?!new)[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

describe('model form', () => {
  const studio = useStudio();

  test('a model of every provider is created from the form with optional fields empty, and none is stored as ""', { timeout: 120_000 }, async () => {
    const { server } = studio;
    await studio.withPage(async ({ page, go }) => {
      for (const c of CASES) {
        await go('/models/new');
        await waitFor(page, 'model-form');
        const name = `form-${c.provider}`;
        const id = await createThroughForm(page, c, name);
        const stored = await server.api<Record<string, unknown>>('GET', `/api/models/${encodeURIComponent(id)}`);
        assert.equal(stored.name, name);
        assert.equal(stored.provider, c.provider);
        assert.equal(stored.model, c.model || 'scripted', 'an empty optional model id of a scripted model becomes the default');
        assert.equal(stored.base_url, c.baseUrl ?? null);
        assert.deepEqual(emptyStrings(stored), [], `${c.provider}: no empty-string fields`);
        if (c.provider === 'scripted') assert.ok(Array.isArray((stored.settings as { responses?: unknown[] }).responses));

        // Saving again from the edit form (nothing changed) keeps it as it is.
        await byTestId(page, 'model-save').click();
        await waitFor(page, 'model-saved');
        const again = await server.api<Record<string, unknown>>('GET', `/api/models/${encodeURIComponent(id)}`);
        assert.deepEqual([again.model, again.base_url], [stored.model, stored.base_url]);
      }
    });
  });
});
