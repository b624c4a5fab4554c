/**
 * A run created by its first commit (issue 17): once this process knows a flowchart's latest version, a new run's row
 * (with this process's lease) is inserted by the statement of its first commit, so a start → task → end run is two
 * statements. The run, its events, the bus and the notifications are exactly those of a run started the other way.
 * A cached version that is no longer the latest creates nothing (the version check is in SQL) and the start reads
 * the latest version again (with its document) and retries once; a deleted flowchart is `not_found`; a created run's first commit is fenced like any
 * other (an existing id writes nothing), and the dispatch outbox trigger sees the run row inserted by the same statement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { EngineEvent } from '@llmctl/engine';
import { FencedError, Orchestrator, endHandler, startHandler, type Commit, type PublishedEvent } from '@llmctl/runtime';
import { FlowchartRepository, LLMCTL_PG_TYPES, PgRunStore } from '../src/index.ts';
import { createTestDatabase } from '../../../scripts/test-database.ts';

const doc = (name: string, task: Record<string, unknown> = {}) => ({
  schema_version: 1, name,
  nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt: 'p' }, ...task }, { id: 'end', type: 'end' }],
  edges: [{ id: 'e1', source: 'start', target: 'a' }, { id: 'e2', source: 'a', target: 'end' }],
});

/** A pool whose statements are recorded (first 40 characters, whitespace folded). */
function recordedPool(url: string): { pool: pg.Pool; sql: string[] } {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: LLMCTL_PG_TYPES });
  const sql: string[] = [];
  const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (...a: unknown[]) => {
    const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text: string }).text;
    sql.push(text.replace(/\s+/g, ' ').trim().slice(0, 40));
    return query(...a);
  };
  return { pool, sql };
}

test('a run of a known latest version is created by its first commit: same events, bus and notifications, 2 statements', async () => {
  const db = await createTestDatabase({ migrated: true });
  const { pool, sql } = recordedPool(db.url);
  const store = new PgRunStore(pool);
  const logged: unknown[] = [];
  const orch = new Orchestrator({
    store, handlers: { start: startHandler, end: endHandler, task: async () => ({ output: { answer: 42 } }) },
    newId: (p) => `${p}_${randomUUID().slice(0, 8)}`, leaseTtlMs: 60_000, logError: (m, e) => logged.push([m, e]),
  });
  const listener = new pg.Client({ connectionString: db.url });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: doc('created') as never });
    await orch.start();
    await listener.connect();
    const notified: { run_id: string; last_sequence: number }[] = [];
    listener.on('notification', (n) => notified.push(JSON.parse(n.payload!)));
    await listener.query('LISTEN llmctl_run_events');
    const bus: PublishedEvent[] = [];
    const done = new Map<string, () => void>();
    orch.bus.onEvent((e) => {
      bus.push(e);
      const p = e.payload as { kind?: string; status?: string };
      if (p.kind === 'run.status' && p.status === 'succeeded') done.get(e.run_id)?.();
    });
    const run = async (): Promise<string> => {
      let finished = (): void => undefined;
      const terminal = new Promise<void>((resolve) => (finished = resolve));
      const id = `run_${randomUUID().slice(0, 8)}`;
      done.set(id, finished);
      await orch.startRun(fc.id, { input: { q: 1 }, runId: id }, { request_id: 'req_1', correlation_id: 'cor_1' });
      await terminal;
      return id;
    };
    const first = await run(); // the latest version is read with its document (and cached)
    sql.length = 0;
    const second = await run();
    assert.equal(sql.length, 2, `two statements for a start → task → end run (the last one releases the lease): ${sql.join(' | ')}`);
    assert.ok(sql.every((s) => s.startsWith('WITH x AS MATERIALIZED')), 'both are commit statements');

    const rows = async (id: string) => (await pool.query(
      `SELECT sequence, event_type, payload->>'kind' AS kind, payload->>'status' AS status, request_id, correlation_id FROM run_events WHERE run_id = $1 ORDER BY sequence`, [id])).rows;
    const a = await rows(first);
    const b = await rows(second);
    assert.deepEqual(b, a, 'the same events in the same order with the same sequences');
    const onBus = (id: string) => bus.filter((e) => e.run_id === id).map((e) => [e.sequence, e.event_type, (e.payload as EngineEvent).kind, (e.payload as { status?: string }).status ?? null]);
    assert.deepEqual(onBus(second), onBus(first), 'the same events on the bus');
    const runRow = async (id: string) => (await pool.query(
      `SELECT flowchart_version, status, input, output, error, warnings, lease_epoch, last_sequence, request_id, correlation_id, continuation, parent_run_id,
         started_at IS NOT NULL AS started, finished_at IS NOT NULL AS finished, lease_owner FROM runs WHERE id = $1`, [id])).rows[0];
    assert.deepEqual(await runRow(second), await runRow(first), 'the same run row (lease released at the end, epoch 1)');
    assert.equal((await runRow(second)).last_sequence, b.length);
    const nodeRuns = async (id: string) => (await pool.query(`SELECT node_id, status, output_seq FROM node_runs WHERE run_id = $1 ORDER BY created_order`, [id])).rows;
    assert.deepEqual(await nodeRuns(second), await nodeRuns(first));
    // the notification of each commit; wait for them by state (the listener's own connection delivers them in order)
    while (notified.filter((n) => n.run_id === second).length < 2) await listener.query('SELECT 1');
    const notes = (id: string) => notified.filter((n) => n.run_id === id).map((n) => n.last_sequence);
    assert.deepEqual(notes(second), notes(first));
    assert.deepEqual(logged, [], 'nothing logged');
  } finally {
    await listener.end().catch(() => undefined);
    await orch.stop();
    await pool.end();
    await db.drop();
  }
});

test('a stale cached latest version does not start the old version; a deleted flowchart is not_found; an explicit version is created in its commit', async () => {
  const db = await createTestDatabase({ migrated: true });
  const { pool, sql } = recordedPool(db.url);
  const store = new PgRunStore(pool);
  const logged: unknown[] = [];
  const orch = new Orchestrator({
    store, handlers: { start: startHandler, end: endHandler, task: async () => ({ output: 'ok' }) },
    newId: (p) => `${p}_${randomUUID().slice(0, 8)}`, leaseTtlMs: 60_000, logError: (m, e) => logged.push([m, e]),
  });
  try {
    const repo = new FlowchartRepository(pool);
    const fc = await repo.create({ document: doc('v1') as never });
    await orch.start();
    const meta = { request_id: null, correlation_id: null };
    const version = async (id: string) => (await pool.query(`SELECT flowchart_version FROM runs WHERE id = $1`, [id])).rows[0]?.flowchart_version;
    assert.equal(await version(await orch.startRun(fc.id, { input: {} }, meta)), 1); // caches version 1
    await repo.saveVersion(fc.id, { document: doc('v2') as never }); // as another process would
    sql.length = 0;
    const id = await orch.startRun(fc.id, { input: {} }, meta);
    assert.equal(await version(id), 2, 'the run is of the new latest version');
    assert.deepEqual(sql.slice(0, 4).map((s) => s.slice(0, 17)), ['WITH x AS MATERIA', 'SELECT id, flowch', 'SELECT v.version,', 'WITH x AS MATERIA'],
      `the create commit missed (and the run is confirmed absent), then version 2 is read with its document and the run created in its commit: ${sql.join(' | ')}`);
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM runs WHERE flowchart_version = 1`)).rows[0].n, 1, 'no second run of version 1');
    sql.length = 0;
    assert.equal(await version(await orch.startRun(fc.id, { input: {} }, meta)), 2);
    assert.ok(sql[0]?.startsWith('WITH x AS MATERIALIZED'), 'version 2 is cached now: created by its first commit');

    sql.length = 0;
    const old = await orch.startRun(fc.id, { input: {}, version: 1 }, meta);
    assert.equal(await version(old), 1, 'an explicit older version still runs');
    assert.ok(sql[0]?.startsWith('WITH x AS MATERIALIZED'), 'an explicit version is created by its first commit');

    // (the runs started above finish first: their actors settle on their own terminal commit)
    while (orch.ownedRuns().length > 0) await new Promise((resolve) => setImmediate(resolve));
    await pool.query(`DELETE FROM flowcharts WHERE id = $1`, [fc.id]);
    const before = (await pool.query(`SELECT count(*)::int AS n FROM runs`)).rows[0].n;
    for (const opts of [{}, { version: 2 }]) {
      await assert.rejects(orch.startRun(fc.id, { input: {}, ...opts }, meta),
        (e: unknown) => e instanceof LlmctlError && e.code === 'not_found' && (e.details as { flowchart_id?: string }).flowchart_id === fc.id);
    }
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM runs`)).rows[0].n, before, 'nothing created');
    assert.deepEqual(orch.ownedRuns(), [], 'no actor left behind');
    assert.deepEqual(logged, [], 'a refused start is the caller\'s error, not logged');
  } finally {
    await orch.stop();
    await pool.end();
    await db.drop();
  }
});

test('a create commit is fenced on an existing id and on a stale latest version, and the outbox trigger sees its run row', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2, types: LLMCTL_PG_TYPES });
  const store = new PgRunStore(pool);
  try {
    const repo = new FlowchartRepository(pool);
    const fc = await repo.create({ document: doc('queued', { executor: 'queue' }) as never });
    const owner = 'llmctl:host:1:me';
    const commitOf = (id: string, version: number, ifLatest: boolean): Commit => ({
      run_id: id, expected_sequence: 0, lease: { owner, epoch: 1 },
      events: [{ sequence: 1, event_id: `ev_${id}`, event_type: 'flowchart:node:updated', request_id: null, correlation_id: null,
        payload: { kind: 'node.attempt_started', node_id: 'a', node_run_id: `nr_${id}`, n: 1, at: '2026-12-06T00:00:00Z' } as unknown as EngineEvent }],
      node_runs: [],
      run: { status: 'running', input: { q: 1 }, output: null, error: null, warnings: [], leftover_tokens: [], started_at: '2026-12-06T00:00:00Z', finished_at: null, running_ms: 0, running_since: '2026-12-06T00:00:00Z' },
      create: { run: { id, flowchart_id: fc.id, flowchart_version: version, input: { q: 1 } }, ttl_ms: 60_000, if_latest: ifLatest },
    } as unknown as Commit);
    await store.commit(commitOf('run_a', 1, true));
    const row = (await pool.query(`SELECT lease_owner, lease_epoch, last_sequence, status, input, lease_expires_at > now() AS leased FROM runs WHERE id = 'run_a'`)).rows[0];
    assert.deepEqual(row, { lease_owner: owner, lease_epoch: 1, last_sequence: 1, status: 'running', input: { q: 1 }, leased: true });
    const dispatch = (await pool.query(`SELECT backend, lease_epoch FROM executor_dispatches WHERE run_id = 'run_a'`)).rows;
    assert.deepEqual(dispatch, [{ backend: 'queue', lease_epoch: 1 }], 'the trigger read the run row inserted by the same statement');

    await assert.rejects(store.commit(commitOf('run_a', 1, false)), FencedError, 'the id exists: fenced');
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM run_events WHERE run_id = 'run_a'`)).rows[0].n, 1, 'nothing appended');
    await repo.saveVersion(fc.id, { document: doc('v2') as never });
    await assert.rejects(store.commit(commitOf('run_b', 1, true)), FencedError, 'version 1 is no longer the latest: fenced');
    assert.equal(await store.getRun('run_b'), null, 'nothing created');
    await store.commit(commitOf('run_c', 1, false));
    assert.equal((await store.getRun('run_c'))?.flowchart_version, 1, 'without if_latest an older version is created');
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('one group-commit statement creates some runs and updates others, each fenced on its own', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 4, types: LLMCTL_PG_TYPES });
  // one statement in flight: the commits submitted while the first is in flight go together in the next one
  const store = new PgRunStore(pool, { maxInFlight: 1 });
  try {
    const repo = new FlowchartRepository(pool);
    const fc = await repo.create({ document: doc('batch') as never });
    const owner = 'llmctl:host:1:me';
    const commitOf = (id: string, expected: number, create?: { version: number; ifLatest: boolean }): Commit => ({
      run_id: id, expected_sequence: expected, lease: { owner, epoch: 1, ttl_ms: 60_000 },
      events: [{ sequence: expected + 1, event_id: `ev_${id}_${expected + 1}`, event_type: 'flowchart:node:updated', request_id: null, correlation_id: null,
        payload: { kind: 'node.queued', node_run_id: `nr_${id}_${expected}`, node_id: 'a' } as unknown as EngineEvent }],
      node_runs: [{
        id: `nr_${id}_${expected}`, node_id: 'a', node_type: 'task', iteration: 0, status: 'queued', outcome: null, fallback_used: false, degraded_reason: null,
        warnings: [], error: null, tokens: [], output: null, routing: null, attempts: [], idempotency_key: `${id}:a:${expected}`, retry_of: null, rewound_from: null,
        started_at: null, finished_at: null, usage: null, queued_seq: expected + 1, started_seq: null, created_order: expected + 1,
      } as unknown as Commit['node_runs'][number]],
      run: { status: 'running', input: {}, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null },
      ...(create ? { create: { run: { id, flowchart_id: fc.id, flowchart_version: create.version, input: {} }, ttl_ms: 60_000, if_latest: create.ifLatest } } : {}),
    } as unknown as Commit);
    for (const id of ['run_old_1', 'run_old_2']) await store.createLeasedRun({ id, flowchart_id: fc.id, flowchart_version: 1, input: {} }, owner, 60_000);
    await repo.saveVersion(fc.id, { document: doc('v2') as never });
    const before = store.commitStats();
    const first = store.commit(commitOf('run_old_1', 0)); // sent at once
    const batch = [
      store.commit(commitOf('run_new_ok', 0, { version: 2, ifLatest: true })),
      store.commit(commitOf('run_new_stale', 0, { version: 1, ifLatest: true })),
      store.commit(commitOf('run_old_2', 0)),
      store.commit(commitOf('run_old_1', 1)), // (its first commit's statement has returned when this batch goes)
    ];
    const results = await Promise.allSettled([first, ...batch]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.ok((results[2] as PromiseRejectedResult).reason instanceof FencedError);
    const stats = store.commitStats();
    assert.equal(stats.transactions - before.transactions, 2, 'the first commit, then one statement for the four others');
    assert.equal(stats.largest_batch, 4);
    const rows = (await pool.query(`SELECT id, last_sequence, lease_owner, flowchart_version FROM runs WHERE id LIKE 'run_%' ORDER BY id`)).rows;
    assert.deepEqual(rows, [
      { id: 'run_new_ok', last_sequence: 1, lease_owner: owner, flowchart_version: 2 },
      { id: 'run_old_1', last_sequence: 2, lease_owner: owner, flowchart_version: 1 },
      { id: 'run_old_2', last_sequence: 1, lease_owner: owner, flowchart_version: 1 },
    ]);
    const nodeRuns = (await pool.query(`SELECT run_id, count(*)::int AS n FROM node_runs GROUP BY run_id ORDER BY run_id`)).rows;
    assert.deepEqual(nodeRuns, [{ run_id: 'run_new_ok', n: 1 }, { run_id: 'run_old_1', n: 2 }, { run_id: 'run_old_2', n: 1 }]);
  } finally {
    await pool.end();
    await db.drop();
  }
});
