/**
 * Lease renewal and group commit lock the same run rows: a group-commit batch locks its runs in id order (group-commit.ts
 * sorts the batch), so renewLeases must lock them in id order too, or the two can deadlock (40P01) whenever a batch and
 * a renewal share two runs. The interleaving that deadlocks with different orders is forced by row locks and gated on
 * pg_stat_activity (each statement is seen waiting for a lock before the next step), never on a delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { EngineEvent } from '@llmctl/engine';
import type { Commit } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, createPool } from '../src/index.ts';
import { COMMIT_SQL, commitParams, encodeCommit } from '../src/commit-statement.ts';

const ME = 'llmctl:lock-host:1:me';

/** A commit of one event that keeps the run running. */
function commitOf(runId: string): Commit {
  return {
    run_id: runId, expected_sequence: 0, lease: { owner: ME, epoch: 1 },
    events: [{ sequence: 1, event_id: `ev_${runId}_1`, event_type: 'flowchart:run:updated', payload: { kind: 'run.note' } as unknown as EngineEvent, request_id: null, correlation_id: null }],
    node_runs: [],
    run: { status: 'running', input: {}, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null },
  } as unknown as Commit;
}

/** Resolves once a backend whose query contains `marker` waits for a lock (polls pg_stat_activity: a state, not a delay). */
async function waitingForLock(pool: pg.Pool, marker: string): Promise<void> {
  for (;;) {
    const r = await pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0`,
      [marker],
    );
    if (r.rows[0].n > 0) return;
  }
}

/** Whether another transaction holds the row lock of a run (tries to take it without waiting). */
async function rowIsLocked(pool: pg.Pool, runId: string): Promise<boolean> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE NOWAIT', [runId]);
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') return true;
    throw err;
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}

test('a lease renewal and a group-commit batch over the same runs do not deadlock: both lock run rows in id order', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 6 });
  const holder = await pool.connect();
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'locks', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    // B is created first, so a scan in physical order meets B before A; id order is A, B.
    const [a, b] = ['run_lock_a', 'run_lock_b'];
    for (const id of [b, a]) await store.createLeasedRun({ id, flowchart_id: fc.id, flowchart_version: 1, input: {} }, ME, 60_000);

    // Someone holds A: the batch (sorted by id, as GroupCommitter.exec sends it) waits on A and holds nothing else.
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [a]);
    const batch = pool.query({ text: COMMIT_SQL, values: commitParams([a, b].map((id) => encodeCommit(commitOf(id)))) }).then(
      (r) => ({ ok: true as const, ids: (r.rows[0] as { ids: string[] }).ids }),
      (e: { code?: string; message: string }) => ({ ok: false as const, code: e.code, message: e.message }),
    );
    await waitingForLock(pool, 'jsonb_to_recordset');
    assert.equal(await rowIsLocked(pool, b), false, 'the batch waits on A before it locks B (id order)');

    // The renewal (asked in the orchestrator's own order, B first) queues behind the batch on A. Locking B first
    // instead would deadlock: the batch, once it has A, waits for B, and the renewal waits for A.
    const renewal = store.renewLeases(ME, [b, a], 60_000).then(
      (ids) => ({ ok: true as const, ids }),
      (e: { code?: string; message: string }) => ({ ok: false as const, code: e.code, message: e.message }),
    );
    await waitingForLock(pool, 'lease_expires_at');
    const renewalHeldB = await rowIsLocked(pool, b);

    await holder.query('COMMIT');
    const [committed, renewed] = await Promise.all([batch, renewal]);
    // PostgreSQL breaks a deadlock by failing one of the two with 40P01.
    assert.deepEqual(committed, { ok: true, ids: [a, b] });
    assert.ok(renewed.ok, `the renewal failed: ${JSON.stringify(renewed)}`);
    assert.deepEqual([...renewed.ids].sort(), [a, b]);
    assert.equal(renewalHeldB, false, 'the renewal waited on A before it locked B (id order)');
  } finally {
    holder.release();
    await pool.end();
    await db.drop();
  }
});

test('a renewal chosen as a deadlock victim (40P01) is retried and renews the leases; other errors are passed on', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'victim', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    await new PgRunStore(pool).createLeasedRun({ id: 'run_victim', flowchart_id: fc.id, flowchart_version: 1, input: {} }, ME, 60_000);
    // The real pool, except that the next lease statement fails with the given SQLSTATE (as PostgreSQL reports it).
    let failNext: string | null = null;
    const sent: string[] = [];
    const flaky = {
      query: (...args: unknown[]) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        if (text.includes('lease_expires_at')) {
          sent.push(failNext ?? 'ok');
          if (failNext) {
            const err = Object.assign(new Error('deadlock detected'), { code: failNext });
            failNext = null;
            return Promise.reject(err);
          }
        }
        return (pool.query as (...a: unknown[]) => unknown).apply(pool, args);
      },
    } as unknown as pg.Pool;
    const store = new PgRunStore(flaky);
    failNext = '40P01';
    assert.deepEqual(await store.renewLeases(ME, ['run_victim'], 60_000), ['run_victim']);
    assert.deepEqual(sent, ['40P01', 'ok'], 'retried once after the deadlock');
    failNext = '57P01';
    await assert.rejects(store.renewLeases(ME, ['run_victim'], 60_000), (e: { code?: string }) => e.code === '57P01');
  } finally {
    await pool.end();
    await db.drop();
  }
});
