import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';

test('an invalid document is saved as a server-side draft with its errors, apart from the versions, and is never run', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel());
    const created = await s.request('POST', '/api/flowcharts', validDoc('Drafty'));
    assert.equal(created.status, 201, created.text);
    const id = created.body.data.id as string;
    const path = `/api/flowcharts/${id}/draft`;

    const none = await s.request('GET', path);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'not_found');

    // An invalid document: PUT of a version still answers 422 flowchart_invalid …
    const bad = validDoc('Drafty (work in progress)');
    bad.nodes.push({ id: 'start', type: 'start' });
    const refused = await s.request('PUT', `/api/flowcharts/${id}`, bad);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'flowchart_invalid');
    // … but the draft takes it, with its validation errors.
    const saved = await s.request('PUT', path, bad);
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.body.data.flowchart_id, id);
    assert.deepEqual(saved.body.data.document, bad);
    assert.equal(saved.body.data.validation.valid, false);
    assert.ok(saved.body.data.validation.errors.length > 0, 'the draft comes back with its errors');

    // A second save replaces it ({ document } form accepted); GET returns it with the errors recomputed.
    const again = await s.request('PUT', path, { document: { ...bad, description: 'second' } });
    assert.equal(again.status, 200, again.text);
    const got = await s.request('GET', path);
    assert.equal(got.status, 200);
    assert.equal(got.body.data.document.description, 'second');
    assert.equal(got.body.data.validation.valid, false);

    // Versions are untouched: still version 1, the valid document; runs use it, never the draft.
    const fc = await s.request('GET', `/api/flowcharts/${id}`);
    assert.equal(fc.body.data.version, 1);
    assert.equal(fc.body.data.name, 'Drafty');
    assert.equal((await s.request('GET', `/api/flowcharts/${id}/versions`)).body.page.total, 1);
    const run = await s.request('POST', `/api/flowcharts/${id}/runs`, { input: {} });
    assert.equal(run.status, 201, run.text);
    assert.equal(run.body.data.flowchart_version, 1);

    // Not an object → 400 validation_failed; unknown flowchart → 404.
    const notObject = await s.request('PUT', path, [1, 2]);
    assert.equal(notObject.status, 400, notObject.text);
    assert.equal(notObject.body.error.code, 'validation_failed');
    const unknown = await s.request('PUT', '/api/flowcharts/fc_00000000000000000000000000/draft', bad);
    assert.equal(unknown.status, 404);

    // Discard: deleted true once, then false; GET is 404 again.
    assert.deepEqual((await s.request('DELETE', path)).body.data, { id, deleted: true });
    assert.deepEqual((await s.request('DELETE', path)).body.data, { id, deleted: false });
    assert.equal((await s.request('GET', path)).status, 404);
  } finally {
    await s.close();
  }
});
