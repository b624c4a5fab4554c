import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgMemoryStore, PgRagStore, queryWords } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';

test('memory search ORs stemmed query terms, ranks by shared terms, and finds nothing for stop words or punctuation', async () => {
  const db = await openTestPool();
  try {
    const store = new PgMemoryStore(db.pool);
    const base = { scope: 'global', flowchart_id: null, run_id: null, node_run_id: null };
    await store.add({ ...base, id: 'm1', text: 'The customer is shipping parcels to Berlin' });
    await store.add({ ...base, id: 'm2', text: 'Parcels shipped on Friday' });
    await store.add({ ...base, id: 'm3', text: 'Invoices are sent by email' });
    const hits = await store.search({ scope: 'global', query: 'ship parcel Berlin?', limit: 10 });
    assert.deepEqual(hits.map((h) => h.id), ['m1', 'm2']);
    assert.ok(hits[0]!.score > hits[1]!.score && hits[1]!.score > 0);
    assert.deepEqual(await store.search({ scope: 'global', query: 'the and of', limit: 10 }), []);
    assert.deepEqual(await store.search({ scope: 'global', query: "'); DROP TABLE memories; --", limit: 10 }), []);
    assert.deepEqual(queryWords('Ship, ship & SHIP!'), ['ship']);
  } finally {
    await db.close();
  }
});

test('rag search ties break by document then chunk order', async () => {
  const db = await openTestPool();
  try {
    const store = new PgRagStore(db.pool);
    await store.createCollection({ id: 'c1', name: 'c1' });
    await store.addDocument({ document: { id: 'b', collection_id: 'c1', name: 'b', media_type: 'text/plain' }, chunks: [{ id: 'b:0', ordinal: 0, text: 'harbour' }] });
    await store.addDocument({
      document: { id: 'a', collection_id: 'c1', name: 'a', media_type: 'text/plain' },
      chunks: [{ id: 'a:1', ordinal: 1, text: 'harbour' }, { id: 'a:0', ordinal: 0, text: 'harbour' }],
    });
    assert.deepEqual((await store.search({ collection_id: 'c1', query: 'harbour', top_k: 5 })).map((h) => h.chunk_id), ['a:0', 'a:1', 'b:0']);
  } finally {
    await db.close();
  }
});
