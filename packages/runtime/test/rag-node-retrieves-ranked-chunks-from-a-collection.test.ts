import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { ingestDocument } from '@llmctl/tools';
import { chart, specialHarness } from './support/special-harness.ts';

test('a rag node retrieves the top_k chunks most relevant to its query template; output matches the contract', async () => {
  const h = await specialHarness();
  try {
    await h.stores.rag.createCollection({ id: 'col_handbook', name: 'handbook' });
    await ingestDocument(h.stores.rag, {
      collection: 'handbook', name: 'refunds.md', media_type: 'text/markdown', document_id: 'doc_refunds',
      text: '# Refunds\n\nRefunds are paid within 14 days of a refund request.\n\n# Shipping\n\nParcels ship on weekdays.\n\n# Returns\n\nReturns need a refund form.',
    });
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'lookup', type: 'rag', config: { collection: 'handbook', query: 'refund {{input.topic}}', top_k: 2 } },
        { id: 'done', type: 'end' },
      ],
      ['start>lookup', 'lookup>done'],
    );
    const run = await h.wait(await h.run(doc, { topic: 'request' }));
    assert.equal(run.status, 'succeeded');
    const out = run.output as { collection: string; query: string; results: { text: string; document_id: string }[] };
    assert.deepEqual(validateAgainst('rag-output', out).errors, []);
    assert.equal(out.collection, 'handbook');
    assert.equal(out.query, 'refund request');
    assert.equal(out.results.length, 2);
    assert.match(out.results[0]!.text, /refund request/);
    assert.ok(out.results.every((r) => r.document_id === 'doc_refunds' && !/Parcels/.test(r.text)));
  } finally {
    await h.stop();
  }
});
