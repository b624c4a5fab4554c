/**
 * A commit that leaves its run terminal releases the run's lease in the same statement (no separate release round
 * trip). The holder may still commit at its epoch afterwards — a command queued behind the terminal commit, such as a
 * retry — and that commit takes the lease again with a fresh expiry; once another owner acquired the lease (the epoch
 * moved on), the old holder is fenced as before. An ended run sends no release statement of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { EngineEvent } from '@llmctl/engine';
import { FencedError, Orchestrator, endHandler, startHandler, type Commit } from '@llmctl/runtime';
import { FlowchartRepository, LLMCTL_PG_TYPES, PgRunStore } from '../src/index.ts';
import { createTestDatabase } from '../../../scripts/test-database.ts';

const ME = 'llmctl:host-a:1:me';
const OTHER = 'llmctl:host-b:1:other';

function commitOf(runId: string, expected: number, epoch: number, status: string, owner = ME): Commit {
  return {
    run_id: runId, expected_sequence: expected, lease: { owner, epoch, ttl_ms: 60_000 },
    events: [{ sequence: expected + 1, event_id: `ev_${runId}_${expected + 1}`, event_type: 'flowchart:run:updated', request_id: null, correlation_id: null,
      payload: { kind: 'run.note' } as unknown as EngineEvent }],
    node_runs: [],
    run: { status, input: {}, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null },
  } as unknown as Commit;
}

test('a terminal commit releases the lease; the holder may commit after it and takes the lease again; a new owner fences it', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2, types: LLMCTL_PG_TYPES });
  const store = new PgRunStore(pool);
  const lease = async (id: string) => (await pool.query(
    `SELECT lease_owner, lease_epoch, lease_expires_at > now() + interval '30 seconds' AS fresh FROM runs WHERE id = $1`, [id])).rows[0];
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'l', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    assert.equal(store.releasesLeaseOnTerminalCommit, true);
    await store.createLeasedRun({ id: 'run_a', flowchart_id: fc.id, flowchart_version: 1, input: {} }, ME, 60_000);
    await store.commit(commitOf('run_a', 0, 1, 'running'));
    assert.deepEqual(await lease('run_a'), { lease_owner: ME, lease_epoch: 1, fresh: true }, 'a running commit keeps the lease');
    await store.commit(commitOf('run_a', 1, 1, 'failed'));
    assert.deepEqual(await lease('run_a'), { lease_owner: null, lease_epoch: 1, fresh: null }, 'the terminal commit released it');
    // a retry queued behind the terminal commit: same holder, same epoch
    await store.commit(commitOf('run_a', 2, 1, 'running'));
    assert.deepEqual(await lease('run_a'), { lease_owner: ME, lease_epoch: 1, fresh: true }, 'taken again, with a fresh expiry');
    assert.equal(await store.acquireLease('run_a', OTHER, 60_000, () => false), null, 'so nobody else can take the run meanwhile');
    await store.commit(commitOf('run_a', 3, 1, 'succeeded'));
    assert.equal((await lease('run_a')).lease_owner, null);

    // another owner takes the released run (epoch 2): the old holder is fenced and writes nothing
    assert.equal(await store.acquireLease('run_a', OTHER, 60_000, () => false), 2);
    await store.releaseLease('run_a', OTHER);
    await assert.rejects(store.commit(commitOf('run_a', 4, 1, 'running')), FencedError);
    assert.equal((await pool.query(`SELECT last_sequence FROM runs WHERE id = 'run_a'`)).rows[0].last_sequence, 4);
    assert.deepEqual(await lease('run_a'), { lease_owner: null, lease_epoch: 2, fresh: null });
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('an ended run sends no lease release of its own; a run loaded ended for a control that changes nothing releases the lease it took', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 4, types: LLMCTL_PG_TYPES });
  const store = new PgRunStore(pool);
  const releases: string[] = [];
  const pending: Promise<void>[] = [];
  const release = store.releaseLease.bind(store);
  store.releaseLease = (runId, owner) => {
    releases.push(runId);
    const p = release(runId, owner);
    pending.push(p);
    return p;
  };
  const orch = new Orchestrator({ store, handlers: { start: startHandler, end: endHandler }, newId: (p) => `${p}_${randomUUID().slice(0, 8)}`, leaseTtlMs: 60_000 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'se', nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [{ id: 'e1', source: 'start', target: 'end' }] } as never });
    await orch.start();
    const meta = { request_id: null, correlation_id: null };
    const id = await orch.startRun(fc.id, { input: {} }, meta); // start → end: the run ends in its first commit
    const row = async () => (await pool.query(`SELECT status, lease_owner, lease_epoch FROM runs WHERE id = $1`, [id])).rows[0];
    assert.deepEqual(await row(), { status: 'succeeded', lease_owner: null, lease_epoch: 1 }, 'released by the commit that ended it');
    assert.deepEqual(orch.ownedRuns(), [], 'the actor settled');
    assert.deepEqual(releases, [], 'no release statement for a run that ended');
    // (the actor settles, and sends its release, before the control's rejection reaches the caller)
    await assert.rejects(orch.control(id, { action: 'cancel' }, { ...meta, actor: 'test' }), (e: unknown) => e instanceof LlmctlError && e.code === 'invalid_transition');
    assert.deepEqual(releases, [id], 'the lease the load took is released by a statement of its own');
    await Promise.all(pending);
    assert.deepEqual(await row(), { status: 'succeeded', lease_owner: null, lease_epoch: 2 });
  } finally {
    await orch.stop();
    await pool.end();
    await db.drop();
  }
});
