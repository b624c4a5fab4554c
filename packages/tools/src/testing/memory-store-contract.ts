/** The contract every `MemoryStore` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MemoryInput, MemoryStore } from '../domains/memory/memory-store.ts';
import { uniqueId, uniqueWord, type AdapterFactory } from './contract-helpers.ts';

function memory(scope: string, text: string, extra: Partial<MemoryInput> = {}): MemoryInput {
  return { id: uniqueId('mem'), scope, text, flowchart_id: null, run_id: null, node_run_id: null, ...extra };
}

/** Registers the MemoryStore contract tests for the adapter made by `makeStore`. */
export function runMemoryStoreContract(makeStore: AdapterFactory<MemoryStore>): void {
  describe('MemoryStore contract', () => {
    test('add stores a memory with created_at and returns it', async () => {
      const store = await makeStore();
      const fc = uniqueId('fc');
      const input = memory(`flowchart:${fc}`, 'The customer prefers email', { flowchart_id: fc, run_id: uniqueId('run'), node_run_id: 'nr' });
      const rec = await store.add(input);
      assert.deepEqual({ ...rec, created_at: undefined }, { ...input, created_at: undefined });
      assert.ok(!Number.isNaN(Date.parse(rec.created_at)));
      assert.deepEqual(await store.list({ flowchart_id: fc }), [rec]);
    });

    test('adding an existing id stores nothing and returns the stored memory', async () => {
      const store = await makeStore();
      const scope = `flowchart:${uniqueId('fc')}`;
      const first = await store.add(memory(scope, 'original text'));
      const again = await store.add({ ...first, text: 'different text' });
      assert.deepEqual(again, first);
      assert.equal((await store.list({ scope })).length, 1);
    });

    test('search ranks memories sharing more query terms first and leaves out memories sharing none', async () => {
      const store = await makeStore();
      const scope = `flowchart:${uniqueId('fc')}`;
      const [w1, w2, w3] = [uniqueWord(), uniqueWord(), uniqueWord()];
      const both = await store.add(memory(scope, `notes about ${w1} and ${w2}`));
      const one = await store.add(memory(scope, `only ${w1} here`));
      await store.add(memory(scope, `nothing relevant ${w3}`));
      const hits = await store.search({ scope, query: `${w1} ${w2}`, limit: 10 });
      assert.deepEqual(hits.map((h) => h.id), [both.id, one.id]);
      assert.ok(hits.every((h) => h.score > 0));
      assert.ok((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0));
    });

    test('search stays within its scope and honours the limit', async () => {
      const store = await makeStore();
      const scope = `flowchart:${uniqueId('fc')}`;
      const other = `flowchart:${uniqueId('fc')}`;
      const w = uniqueWord();
      for (let i = 0; i < 3; i += 1) await store.add(memory(scope, `${w} item ${i}`));
      await store.add(memory(other, `${w} elsewhere`));
      const hits = await store.search({ scope, query: w, limit: 2 });
      assert.equal(hits.length, 2);
      assert.ok(hits.every((h) => h.scope === scope));
    });

    test('list filters by scope, flowchart and run, newest first', async () => {
      const store = await makeStore();
      const fc = uniqueId('fc');
      const run = uniqueId('run');
      const a = await store.add(memory(`flowchart:${fc}`, 'first', { flowchart_id: fc, run_id: run }));
      const b = await store.add(memory(`flowchart:${fc}`, 'second', { flowchart_id: fc, run_id: uniqueId('run') }));
      assert.deepEqual((await store.list({ flowchart_id: fc })).map((m) => m.id), [b.id, a.id]);
      assert.deepEqual((await store.list({ run_id: run })).map((m) => m.id), [a.id]);
      assert.deepEqual((await store.list({ scope: `flowchart:${fc}`, limit: 1 })).map((m) => m.id), [b.id]);
    });
  });
}
