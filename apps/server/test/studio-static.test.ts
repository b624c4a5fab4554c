import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from './support/test-server.ts';

test('without a studio build, / answers a page saying how to build it', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.text, /npm run build:studio/);
  } finally {
    await s.close();
  }
});

test('a studio build is served at / with an SPA fallback for non-API paths', async () => {
  const dist = await mkdtemp(join(tmpdir(), 'llmctl-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>studio</title><div id="root"></div>');
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log("studio")');
  const s = await startTestServer({ config: { studioDist: dist } });
  try {
    const index = await s.request('GET', '/');
    assert.equal(index.status, 200);
    assert.match(index.text, /<title>studio<\/title>/);
    const deep = await s.request('GET', '/flowcharts/fc_123/runs');
    assert.equal(deep.status, 200);
    assert.match(deep.text, /<title>studio<\/title>/);
    const asset = await s.request('GET', '/assets/app.js');
    assert.equal(asset.status, 200);
    assert.match(asset.text, /studio/);
    const missingAsset = await s.request('GET', '/assets/missing.js');
    assert.equal(missingAsset.status, 404);
    const api = await s.request('GET', '/api/unknown');
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'not_found');
  } finally {
    await s.close();
    await rm(dist, { recursive: true, force: true });
  }
});
