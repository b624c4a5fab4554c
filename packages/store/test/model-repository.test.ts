import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmctlError } from '@llmctl/contracts';
import { newId } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';
import { doc } from './support/documents.ts';

const isCode = (code: string) => (err: unknown) => err instanceof LlmctlError && err.code === code;

test('create, get, update and delete a model', async () => {
  const db = await openTestPool();
  try {
    const m = await db.repos.models.create({ name: 'gpt', provider: 'openai', model: 'gpt-4o-mini' });
    assert.match(m.id, /^mdl_/);
    assert.equal(m.base_url, null);
    assert.deepEqual(m.settings, {});
    assert.equal(m.offline, undefined);
    const u = await db.repos.models.update(m.id, { base_url: 'http://localhost:9999/v1', settings: { temperature: 0 } });
    assert.equal(u.name, 'gpt');
    assert.equal(u.base_url, 'http://localhost:9999/v1');
    assert.deepEqual(u.settings, { temperature: 0 });
    assert.equal((await db.repos.models.update(m.id, { base_url: null })).base_url, null);
    assert.deepEqual((await db.repos.models.get(m.id)).settings, { temperature: 0 });
    await db.repos.models.delete(m.id);
    await assert.rejects(db.repos.models.get(m.id), isCode('not_found'));
    await assert.rejects(db.repos.models.update(newId('mdl'), { name: 'x' }), isCode('not_found'));
  } finally {
    await db.close();
  }
});

test('a duplicate name is name_taken on create and on rename', async () => {
  const db = await openTestPool();
  try {
    await db.repos.models.create({ name: 'one', provider: 'openai', model: 'm' });
    const two = await db.repos.models.create({ name: 'two', provider: 'openai', model: 'm' });
    await assert.rejects(db.repos.models.create({ name: 'one', provider: 'anthropic', model: 'm' }), isCode('name_taken'));
    await assert.rejects(db.repos.models.update(two.id, { name: 'one' }), isCode('name_taken'));
  } finally {
    await db.close();
  }
});

test('scripted models are labelled offline', async () => {
  const db = await openTestPool();
  try {
    const m = await db.repos.models.create({ name: 'demo', provider: 'scripted', model: 'scripted', settings: { responses: [] } });
    assert.equal(m.offline, true);
    assert.equal(m.label, 'scripted (offline)');
    assert.equal((await db.repos.models.list()).items[0]?.label, 'scripted (offline)');
  } finally {
    await db.close();
  }
});

test('list filters by q and provider, sorts and pages', async () => {
  const db = await openTestPool();
  try {
    await db.repos.models.create({ name: 'Claude fast', provider: 'anthropic', model: 'a' });
    await db.repos.models.create({ name: 'gpt fast', provider: 'openai', model: 'b' });
    await db.repos.models.create({ name: 'gpt slow', provider: 'openai', model: 'c' });
    const fast = await db.repos.models.list({ q: 'FAST' });
    assert.deepEqual(fast.items.map((m) => m.name), ['Claude fast', 'gpt fast']);
    const openai = await db.repos.models.list({ provider: 'openai', order: 'desc' });
    assert.deepEqual(openai.items.map((m) => m.name), ['gpt slow', 'gpt fast']);
    const byProvider = await db.repos.models.list({ sort: 'provider', per_page: '1', page: '1' });
    assert.deepEqual(byProvider.items.map((m) => m.provider), ['anthropic']);
    assert.equal(byProvider.page.total, 3);
    await assert.rejects(db.repos.models.list({ sort: 'model' }), isCode('validation_failed'));
  } finally {
    await db.close();
  }
});

test('deleting a model used by a flowchart is a conflict listing the flowcharts', async () => {
  const db = await openTestPool();
  try {
    const m = await db.repos.models.create({ name: 'used', provider: 'openai', model: 'x' });
    const f = await db.repos.flowcharts.create({ document: doc('User', 'used') });
    await assert.rejects(db.repos.models.delete(m.id), (err: unknown) => {
      assert.ok(err instanceof LlmctlError && err.code === 'conflict');
      assert.deepEqual(err.details.flowcharts, [{ id: f.id, name: 'User' }]);
      return true;
    });
    assert.ok(await db.repos.models.find(m.id));
  } finally {
    await db.close();
  }
});
