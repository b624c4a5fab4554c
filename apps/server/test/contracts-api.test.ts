import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

test('GET /api/contracts lists the published schemas', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/api/contracts');
    assert.equal(res.status, 200);
    const names = (res.body.data as { name: string; url: string }[]).map((c) => c.name);
    assert.ok(names.includes('flowchart-v1'));
    assert.ok(names.includes('error-envelope'));
  } finally {
    await s.close();
  }
});

test('GET /api/contracts/:name serves a schema by name, with or without the .schema.json suffix', async () => {
  const s = await startTestServer();
  try {
    const plain = await s.request('GET', '/api/contracts/flowchart-v1');
    const suffixed = await s.request('GET', '/api/contracts/flowchart-v1.schema.json');
    assert.equal(plain.status, 200);
    assert.equal(suffixed.status, 200);
    assert.deepEqual(plain.body.data, suffixed.body.data);
    assert.equal(typeof plain.body.data.$id, 'string');
  } finally {
    await s.close();
  }
});

test('an unknown contract is a 404 not_found envelope', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/api/contracts/flowchart-v9.schema.json');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  } finally {
    await s.close();
  }
});
