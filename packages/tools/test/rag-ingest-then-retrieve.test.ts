import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRagCollection, InMemoryRagStore, ingestDocument, invokeTool, ragTool, ToolRegistry } from '../src/index.ts';
import { makeCtx } from './helpers.ts';

test('ingested markdown is retrieved by the rag tool, best chunk first', async () => {
  const store = new InMemoryRagStore();
  const col = await createRagCollection(store, 'handbook', 'Team handbook');
  const md = '# Handbook\n\n## Vacation\n\nRequest vacation days in the HR portal.\n\n## Expenses\n\nSubmit expenses monthly with receipts.';
  const ingested = await ingestDocument(store, { collection: 'handbook', name: 'handbook.md', media_type: 'text/markdown', text: md, document_id: 'doc-1' });
  assert.equal(ingested.chunk_count, 2);
  const again = await ingestDocument(store, { collection: col.id, name: 'handbook.md', media_type: 'text/markdown', text: md, document_id: 'doc-1' });
  assert.deepEqual(again.document, ingested.document);

  const registry = new ToolRegistry([ragTool(store)]);
  const { ctx } = makeCtx('/tmp');
  const r = await invokeTool(registry, 'rag', { collection: 'handbook', query: 'how do I submit expenses', top_k: 3 }, ctx());
  assert.equal(r.status, 'success');
  const out = r.output as { collection: string; query: string; results: { chunk_id: string; document_id: string; text: string; score: number }[] };
  assert.equal(out.collection, 'handbook');
  assert.equal(out.query, 'how do I submit expenses');
  assert.equal(out.results.length, 1);
  assert.equal(out.results[0]?.chunk_id, 'doc-1:1');
  assert.equal(out.results[0]?.document_id, 'doc-1');
  assert.match(out.results[0]?.text ?? '', /Expenses/);
});

test('ingesting into an unknown collection fails with rag_collection_not_found', async () => {
  await assert.rejects(
    ingestDocument(new InMemoryRagStore(), { collection: 'nope', name: 'a', media_type: 'text/plain', text: 'x' }),
    (e: unknown) => (e as { code?: string }).code === 'rag_collection_not_found',
  );
});
