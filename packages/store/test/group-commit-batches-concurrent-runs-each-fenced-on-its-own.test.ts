/**
 * Group commit (issue 17): commits of concurrent runs that are waiting while another commit is in flight go to
 * PostgreSQL in one statement, yet each run stays fenced and gap-free on its own: a fenced run gets its FencedError, a
 * run with a value PostgreSQL cannot store gets its own error, and every other run of the batch commits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type pg from 'pg';
import type { EngineEvent } from '@llmctl/engine';
import { FencedError, classifyStoreError, type Commit } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, createPool } from '../src/index.ts';

const ME = 'llmctl:group-host:1:me';

interface Fixture {
  pool: pg.Pool;
  store: PgRunStore;
  /** Runs created and leased by ME (epoch 1). */
  runs: string[];
  close(): Promise<void>;
}

async function open(n: number): Promise<Fixture> {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 4 });
  const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'g', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
  // One statement in flight: the batches the tests expect are then exact (the default, 2, also sends a second commit alone).
  const store = new PgRunStore(pool, { maxInFlight: 1 });
  const runs = Array.from({ length: n }, (_, i) => `run_group_${String(i).padStart(3, '0')}`);
  for (const id of runs) await store.createLeasedRun({ id, flowchart_id: fc.id, flowchart_version: 1, input: { i: id } }, ME, 60_000);
  return {
    pool, store, runs,
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

/** A commit of two events and one node run (queued at the first commit, finished at the second). */
function commitOf(runId: string, expected: number, epoch = 1, note = 'ok'): Commit {
  const nodeRunId = `nr_${runId}`;
  const done = expected > 0;
  return {
    run_id: runId, expected_sequence: expected, lease: { owner: ME, epoch },
    events: [1, 2].map((k) => ({
      sequence: expected + k, event_id: `ev_${runId}_${expected + k}`, event_type: 'flowchart:run:updated',
      payload: { kind: 'node.started', note, k } as unknown as EngineEvent, request_id: null, correlation_id: null,
    })),
    node_runs: [{
      id: nodeRunId, node_id: 'n', node_type: 'task', iteration: 0, status: done ? 'succeeded' : 'queued', outcome: done ? 'success' : null,
      fallback_used: false, degraded_reason: null, warnings: [], error: null, tokens: [], output: done ? { answer: runId } : null, routing: null,
      attempts: [], idempotency_key: `${runId}:n:0`, retry_of: null, rewound_from: null, started_at: null, finished_at: null, usage: null,
      queued_seq: expected + 1, started_seq: null, created_order: 1,
    } as unknown as Commit['node_runs'][number]],
    run: {
      status: 'running', input: { i: runId }, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null,
      running_ms: 0, running_since: null,
    },
  };
}

async function sequences(pool: pg.Pool, runId: string): Promise<number[]> {
  const r = await pool.query<{ sequence: string }>(`SELECT sequence FROM run_events WHERE run_id = $1 ORDER BY sequence`, [runId]);
  return r.rows.map((x) => Number(x.sequence));
}

test('concurrent commits of 20 runs go to PostgreSQL in 2 statements per round; every log is gap-free and notified', async () => {
  const f = await open(20);
  const listener = await f.pool.connect();
  try {
    const notified = new Map<string, number[]>();
    let count = 0;
    listener.on('notification', (m) => {
      const p = JSON.parse(m.payload!) as { run_id: string; last_sequence: number };
      notified.set(p.run_id, [...(notified.get(p.run_id) ?? []), p.last_sequence]);
      count += 1;
      if (count === 40) listener.emit('all-notified');
    });
    await listener.query('LISTEN llmctl_run_events');
    const allNotified = once(listener, 'all-notified');
    for (const expected of [0, 2]) {
      const before = f.store.commitStats();
      await Promise.all(f.runs.map((id) => f.store.commit(commitOf(id, expected))));
      const after = f.store.commitStats();
      // The first commit is sent alone at once (nothing in flight); the 19 submitted meanwhile share one statement.
      assert.equal(after.commits - before.commits, 20);
      assert.equal(after.transactions - before.transactions, 2);
    }
    assert.equal(f.store.commitStats().largest_batch, 19);
    for (const id of f.runs) {
      assert.deepEqual(await sequences(f.pool, id), [1, 2, 3, 4], `${id}: gap-free log`);
      const run = await f.store.getRun(id);
      assert.equal(run?.last_sequence, 4);
      const nr = await f.pool.query(`SELECT status, output FROM node_runs WHERE id = $1`, [`nr_${id}`]);
      assert.deepEqual(nr.rows[0], { status: 'succeeded', output: { answer: id } });
    }
    await allNotified;
    for (const id of f.runs) assert.deepEqual(notified.get(id), [2, 4], `${id}: one notification per commit`);
  } finally {
    listener.release();
    await f.close();
  }
});

test('a fenced run in a batch gets its own FencedError; the other runs of the batch commit', async () => {
  const f = await open(6);
  try {
    const [leader, a, staleSeq, b, staleEpoch, c] = f.runs as [string, string, string, string, string, string];
    const results = await Promise.allSettled([
      f.store.commit(commitOf(leader, 0)), // sent alone; the rest wait and share the next statement
      f.store.commit(commitOf(a, 0)), f.store.commit(commitOf(staleSeq, 7)), f.store.commit(commitOf(b, 0)),
      f.store.commit(commitOf(staleEpoch, 0, 9)), f.store.commit(commitOf(c, 0)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    for (const i of [2, 4]) assert.ok((results[i] as PromiseRejectedResult).reason instanceof FencedError);
    assert.equal(f.store.commitStats().largest_batch, 5);
    assert.equal(f.store.commitStats().split_batches, 0, 'fencing needs no retry: the batch statement commits the others');
    for (const id of [leader, a, b, c]) assert.deepEqual(await sequences(f.pool, id), [1, 2]);
    for (const id of [staleSeq, staleEpoch]) {
      assert.deepEqual(await sequences(f.pool, id), [], `${id}: a fenced run writes nothing`);
      assert.equal((await f.pool.query(`SELECT count(*)::int AS n FROM node_runs WHERE run_id = $1`, [id])).rows[0].n, 0);
    }
  } finally {
    await f.close();
  }
});

test('a value PostgreSQL cannot store fails only its own run of a batch; the other runs commit', async () => {
  const f = await open(5);
  try {
    const [leader, a, bad, b, c] = f.runs as [string, string, string, string, string];
    const results = await Promise.allSettled([
      f.store.commit(commitOf(leader, 0)),
      f.store.commit(commitOf(a, 0)), f.store.commit(commitOf(bad, 0, 1, 'nul \u0000 here')), f.store.commit(commitOf(b, 0)), f.store.commit(commitOf(c, 0)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const err = (results[2] as PromiseRejectedResult).reason;
    assert.equal(classifyStoreError(err), 'unstorable', String(err));
    assert.equal(f.store.commitStats().split_batches, 1);
    for (const id of [leader, a, b, c]) assert.deepEqual(await sequences(f.pool, id), [1, 2]);
    assert.deepEqual(await sequences(f.pool, bad), []);
    assert.equal((await f.store.getRun(bad))?.last_sequence, 0);
    // The run at fault can still commit a storable change afterwards.
    await f.store.commit(commitOf(bad, 0));
    assert.deepEqual(await sequences(f.pool, bad), [1, 2]);
  } finally {
    await f.close();
  }
});
