import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { encryptedPdf, simplePdf } from './support/pdf-fixtures.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

async function upload(server: TestServer, path: string, body: Buffer | string, contentType: string) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: await res.json() as any };
}

test('RAG collections: create, ingest text, Markdown and PDF documents, search ranked by full-text relevance', async () => {
  const server = await startTestServer();
  try {
    const created = await server.request('POST', '/api/rag/collections', { name: 'handbook', description: 'Support handbook' });
    assert.equal(created.status, 201);
    const col = created.body.data;
    assert.match(col.id, /^rag_/);
    assert.equal((await server.request('POST', '/api/rag/collections', { name: 'handbook' })).body.error.code, 'name_taken');

    const text = await server.request('POST', `/api/rag/collections/${col.id}/documents`, { name: 'shipping.txt', text: 'Parcels ship on weekdays.\n\nWeekend orders ship on Monday.' });
    assert.equal(text.status, 201);
    assert.equal(text.body.data.chunk_count, 1);
    const md = await upload(server, '/api/rag/collections/handbook/documents?name=refunds.md', '# Refunds\n\nDamaged parcels are refunded within 14 days.\n\n# Returns\n\nUse the returns form.', 'text/markdown');
    assert.equal(md.status, 201);
    assert.equal(md.body.data.chunk_count, 2);
    const pdf = await upload(server, '/api/rag/collections/handbook/documents?name=policy.pdf', readFileSync(new URL('./fixtures/refund-policy.pdf', import.meta.url)), 'application/pdf');
    assert.equal(pdf.status, 201, JSON.stringify(pdf.body));
    assert.equal(pdf.body.data.document.media_type, 'application/pdf');
    const b64 = await server.request('POST', '/api/rag/collections/handbook/documents', { name: 'simple.pdf', media_type: 'application/pdf', content_base64: simplePdf().toString('base64') });
    assert.equal(b64.status, 201);

    const search = await server.request('GET', '/api/rag/collections/handbook/search?q=refund%20damaged%20parcels&top_k=3');
    assert.equal(search.status, 200);
    assert.deepEqual(validateAgainst('rag-output', search.body.data).errors, []);
    const hits = search.body.data.results as { text: string; document_id: string; score: number }[];
    assert.equal(hits.length, 3);
    assert.ok(hits[0]!.score >= hits[1]!.score && hits[1]!.score >= hits[2]!.score);
    assert.ok([md.body.data.document.id, pdf.body.data.document.id].includes(hits[0]!.document_id));
    assert.ok(hits.every((h) => /refund|damaged|parcel/i.test(h.text)));
    const stemmed = await server.request('GET', '/api/rag/collections/handbook/search?q=shipping');
    assert.deepEqual(stemmed.body.data.results.map((h: { document_id: string }) => h.document_id), [text.body.data.document.id]);

    const detail = await server.request('GET', `/api/rag/collections/${col.id}`);
    assert.equal(detail.body.data.documents.length, 4);
    const list = await server.request('GET', '/api/rag/collections');
    assert.deepEqual(list.body.data.map((c: { name: string; document_count: number }) => [c.name, c.document_count]), [['handbook', 4]]);
    assert.deepEqual(list.body.page, { page: 1, per_page: 20, total: 1 });
  } finally {
    await server.close();
  }
});

test('RAG uploads refuse unsupported media types (415), unreadable PDFs (422), unknown collections (404) and bad input (400)', async () => {
  const server = await startTestServer();
  try {
    await server.request('POST', '/api/rag/collections', { name: 'docs' });
    const png = await upload(server, '/api/rag/collections/docs/documents', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    assert.equal(png.status, 415);
    assert.equal(png.body.error.code, 'unsupported_media_type');
    assert.ok(png.body.error.details.supported.includes('application/pdf'));
    const docx = await server.request('POST', '/api/rag/collections/docs/documents', { name: 'a.docx', media_type: 'application/msword', text: 'x' });
    assert.equal(docx.status, 415);
    const locked = await upload(server, '/api/rag/collections/docs/documents', encryptedPdf(), 'application/pdf');
    assert.equal(locked.status, 422);
    assert.equal(locked.body.error.code, 'rag_document_unreadable');
    assert.equal((await server.request('POST', '/api/rag/collections/missing/documents', { name: 'a', text: 'b' })).status, 404);
    assert.equal((await server.request('GET', '/api/rag/collections/missing/search?q=x')).status, 404);
    assert.equal((await server.request('POST', '/api/rag/collections/docs/documents', { name: 'empty', text: '   ' })).status, 400);
    assert.equal((await server.request('GET', '/api/rag/collections/docs/search')).status, 400);
    assert.equal((await server.request('GET', '/api/rag/collections/docs/search?q=x&top_k=0')).status, 400);
    assert.equal((await server.request('POST', '/api/rag/collections', { description: 'no name' })).status, 400);
    // Other routes keep their JSON-only body rules.
    assert.equal((await upload(server, '/api/flowcharts', '# not json', 'text/markdown')).status, 415);
  } finally {
    await server.close();
  }
});

test('a RAG document upload may be larger than the JSON body limit, up to 20 MiB', async () => {
  const server = await startTestServer();
  try {
    await server.request('POST', '/api/rag/collections', { name: 'big' });
    const paragraph = 'Tide tables list high and low water for every harbour. '.repeat(20);
    const big = Array.from({ length: 1400 }, () => paragraph).join('\n\n');
    assert.ok(big.length > 1024 * 1024);
    const res = await upload(server, '/api/rag/collections/big/documents?name=tides.txt', big, 'text/plain');
    assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
    assert.ok(res.body.data.chunk_count > 100);
    const tooBig = await upload(server, '/api/rag/collections/big/documents?name=huge.txt', 'x'.repeat(21 * 1024 * 1024), 'text/plain');
    assert.equal(tooBig.status, 413);
  } finally {
    await server.close();
  }
});
