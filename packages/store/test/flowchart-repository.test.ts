import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmctlError } from '@llmctl/contracts';
import { newId } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';
import { doc } from './support/documents.ts';

const isCode = (code: string) => (err: unknown) => err instanceof LlmctlError && err.code === code;

test('create stores version 1 and get returns the API shape', async () => {
  const db = await openTestPool();
  try {
    const warnings = [{ code: 'unreachable_node', message: 'x', path: '/nodes/1' }];
    const f = await db.repos.flowcharts.create({ document: { ...doc('Triage'), description: 'd' }, warnings });
    assert.match(f.id, /^fc_/);
    assert.equal(f.version, 1);
    assert.equal(f.latest_version, 1);
    assert.equal(f.name, 'Triage');
    assert.equal(f.description, 'd');
    assert.deepEqual(f.warnings, warnings);
    assert.equal(f.document.nodes.length, 3);
    assert.match(f.created_at, /Z$/);
    assert.deepEqual(await db.repos.flowcharts.get(f.id), f);
  } finally {
    await db.close();
  }
});

test('saveVersion creates the next immutable version; older versions stay readable', async () => {
  const db = await openTestPool();
  try {
    const f = await db.repos.flowcharts.create({ document: doc('One') });
    const v2 = await db.repos.flowcharts.saveVersion(f.id, { document: doc('Two') });
    assert.equal(v2.version, 2);
    assert.equal(v2.name, 'Two');
    assert.equal((await db.repos.flowcharts.get(f.id)).version, 2);
    const v1 = await db.repos.flowcharts.get(f.id, 1);
    assert.equal(v1.name, 'One');
    assert.equal(v1.latest_version, 2);
    await assert.rejects(db.repos.flowcharts.get(f.id, 3), isCode('not_found'));
    await assert.rejects(db.repos.flowcharts.saveVersion(newId('fc'), { document: doc('x') }), isCode('not_found'));
    const versions = await db.repos.flowcharts.listVersions(f.id);
    assert.deepEqual(versions.items.map((v) => [v.version, v.name]), [[2, 'Two'], [1, 'One']]);
    assert.equal(versions.page.total, 2);
  } finally {
    await db.close();
  }
});

test('list searches names case-insensitively, sorts, orders and pages', async () => {
  const db = await openTestPool();
  try {
    for (const name of ['Alpha triage', 'beta', 'Gamma TRIAGE', 'delta']) await db.repos.flowcharts.create({ document: doc(name) });
    const hits = await db.repos.flowcharts.list({ q: 'triage', sort: 'name', order: 'asc' });
    assert.deepEqual(hits.items.map((f) => f.name), ['Alpha triage', 'Gamma TRIAGE']);
    assert.equal(hits.page.total, 2);
    const page2 = await db.repos.flowcharts.list({ sort: 'name', order: 'desc', page: '2', per_page: '3' });
    assert.deepEqual(page2.items.map((f) => f.name), ['Alpha triage']);
    assert.deepEqual(page2.page, { page: 2, per_page: 3, total: 4 });
    const byDefault = await db.repos.flowcharts.list();
    assert.equal(byDefault.page.per_page, 20);
    assert.equal(byDefault.items[0]?.name, 'delta');
  } finally {
    await db.close();
  }
});

test('list rejects an unknown sort field and bad paging with validation_failed', async () => {
  const db = await openTestPool();
  try {
    for (const raw of [{ sort: 'nodes' }, { order: 'up' }, { page: '0' }, { per_page: '101' }, { page: 'abc' }, { q: ['a', 'b'] }]) {
      await assert.rejects(db.repos.flowcharts.list(raw), isCode('validation_failed'), JSON.stringify(raw));
    }
  } finally {
    await db.close();
  }
});

test('delete is refused with conflict while a run is active, and removes everything once none is', async () => {
  const db = await openTestPool();
  try {
    const f = await db.repos.flowcharts.create({ document: doc('To delete') });
    const runId = newId('run');
    await db.pool.query("INSERT INTO runs (id, flowchart_id, flowchart_version, status) VALUES ($1, $2, 1, 'paused')", [runId, f.id]);
    await assert.rejects(db.repos.flowcharts.delete(f.id), (err: unknown) => {
      assert.ok(err instanceof LlmctlError && err.code === 'conflict');
      assert.deepEqual(err.details.active_runs, [{ id: runId, status: 'paused' }]);
      return true;
    });
    assert.ok(await db.repos.flowcharts.find(f.id));
    await db.pool.query("UPDATE runs SET status = 'succeeded' WHERE id = $1", [runId]);
    await db.repos.flowcharts.delete(f.id);
    assert.equal(await db.repos.flowcharts.find(f.id), undefined);
    const left = await db.pool.query('SELECT count(*)::int AS n FROM flowchart_versions WHERE flowchart_id = $1', [f.id]);
    assert.equal(left.rows[0].n, 0);
    await assert.rejects(db.repos.flowcharts.delete(f.id), isCode('not_found'));
  } finally {
    await db.close();
  }
});

test('findUsingModel finds flowcharts whose latest version names the model', async () => {
  const db = await openTestPool();
  try {
    const a = await db.repos.flowcharts.create({ document: doc('Uses it', 'gpt') });
    const b = await db.repos.flowcharts.create({ document: doc('Used to', 'gpt') });
    await db.repos.flowcharts.saveVersion(b.id, { document: doc('Used to', 'other') });
    assert.deepEqual(await db.repos.flowcharts.findUsingModel('gpt'), [{ id: a.id, name: 'Uses it' }]);
    assert.deepEqual(await db.repos.flowcharts.findUsingModel("it's"), []);
  } finally {
    await db.close();
  }
});
