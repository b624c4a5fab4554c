/** The contract every `RagStore` adapter must pass. */
import { LlmctlError } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RagStore } from '../domains/rag/rag-store.ts';
import { uniqueId, uniqueWord, type AdapterFactory } from './contract-helpers.ts';

function coded(code: string) {
  return (e: unknown): boolean => e instanceof LlmctlError && e.code === code;
}

/** Registers the RagStore contract tests for the adapter made by `makeStore`. */
export function runRagStoreContract(makeStore: AdapterFactory<RagStore>): void {
  describe('RagStore contract', () => {
    test('a created collection is found by id and by name and listed', async () => {
      const store = await makeStore();
      const name = uniqueId('docs');
      const c = await store.createCollection({ id: uniqueId('col'), name, description: 'Docs' });
      assert.equal(c.name, name);
      assert.equal(c.description, 'Docs');
      assert.deepEqual(await store.findCollection(c.id), c);
      assert.deepEqual(await store.findCollection(name), c);
      assert.equal(await store.findCollection(uniqueId('none')), null);
      assert.ok((await store.listCollections()).some((x) => x.id === c.id));
    });

    test('a taken collection name rejects with name_taken', async () => {
      const store = await makeStore();
      const name = uniqueId('docs');
      await store.createCollection({ id: uniqueId('col'), name });
      await assert.rejects(store.createCollection({ id: uniqueId('col'), name }), coded('name_taken'));
    });

    test('addDocument to an unknown collection rejects with rag_collection_not_found', async () => {
      const store = await makeStore();
      const doc = { id: uniqueId('doc'), collection_id: uniqueId('col'), name: 'a.md', media_type: 'text/markdown' };
      await assert.rejects(store.addDocument({ document: doc, chunks: [] }), coded('rag_collection_not_found'));
    });

    test('search ranks chunks sharing more query terms first, leaves out the rest, within the collection', async () => {
      const store = await makeStore();
      const col = await store.createCollection({ id: uniqueId('col'), name: uniqueId('docs') });
      const other = await store.createCollection({ id: uniqueId('col'), name: uniqueId('docs') });
      const [w1, w2, w3] = [uniqueWord(), uniqueWord(), uniqueWord()];
      const doc = uniqueId('doc');
      await store.addDocument({
        document: { id: doc, collection_id: col.id, name: 'guide.md', media_type: 'text/markdown' },
        chunks: [
          { id: `${doc}:0`, ordinal: 0, text: `install ${w1} first` },
          { id: `${doc}:1`, ordinal: 1, text: `then configure ${w1} with ${w2}` },
          { id: `${doc}:2`, ordinal: 2, text: `unrelated ${w3}` },
        ],
      });
      const od = uniqueId('doc');
      await store.addDocument({
        document: { id: od, collection_id: other.id, name: 'x.txt', media_type: 'text/plain' },
        chunks: [{ id: `${od}:0`, ordinal: 0, text: `${w1} ${w2} elsewhere` }],
      });
      const hits = await store.search({ collection_id: col.id, query: `${w1} ${w2}`, top_k: 10 });
      assert.deepEqual(hits.map((h) => h.chunk_id), [`${doc}:1`, `${doc}:0`]);
      assert.ok(hits.every((h) => h.document_id === doc && h.score > 0));
      assert.equal(hits[0]?.text, `then configure ${w1} with ${w2}`);
      assert.equal((await store.search({ collection_id: col.id, query: `${w1} ${w2}`, top_k: 1 })).length, 1);
    });

    test('adding an existing document id again stores nothing', async () => {
      const store = await makeStore();
      const col = await store.createCollection({ id: uniqueId('col'), name: uniqueId('docs') });
      const w = uniqueWord();
      const doc = { id: uniqueId('doc'), collection_id: col.id, name: 'a.txt', media_type: 'text/plain' };
      const first = await store.addDocument({ document: doc, chunks: [{ id: `${doc.id}:0`, ordinal: 0, text: `${w} once` }] });
      const again = await store.addDocument({ document: doc, chunks: [{ id: `${doc.id}:9`, ordinal: 0, text: `${w} twice` }] });
      assert.deepEqual(again, first);
      assert.equal((await store.search({ collection_id: col.id, query: w, top_k: 10 })).length, 1);
    });
  });
}
