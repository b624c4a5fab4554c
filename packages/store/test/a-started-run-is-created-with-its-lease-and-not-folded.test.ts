/**
 * A started run is created with the starting process's lease in one statement (`createLeasedRun`, or the run's first
 * commit: a-run-is-created-by-its-first-commit.test.ts): no lease SELECT/UPDATE, no run read and no fold of the
 * (empty) log before the first commit. The lease is real: other processes cannot take the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { Orchestrator, endHandler, startHandler } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, LLMCTL_PG_TYPES, PgRunStore } from '../src/index.ts';

test('createLeasedRun takes the lease in the INSERT; another owner can neither lease nor recover the run', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2, types: LLMCTL_PG_TYPES });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'r', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    const row = await store.createLeasedRun({ id: 'run_leased', flowchart_id: fc.id, flowchart_version: 1, input: { a: 1 } }, 'llmctl:me:1:x', 10_000);
    assert.equal(row.lease_owner, 'llmctl:me:1:x');
    assert.equal(row.lease_epoch, 1);
    assert.equal(row.last_sequence, 0);
    assert.deepEqual(row.input, { a: 1 });
    assert.ok(row.lease_expires_at);
    assert.equal(await store.acquireLease('run_leased', 'llmctl:other:1:x', 10_000, () => false), null);
    await pool.query(`UPDATE runs SET created_at = now() - interval '1 minute' WHERE id = 'run_leased'`);
    assert.deepEqual(await store.findRunsToRecover('llmctl:other:1:x', () => false), [], 'a live lease is not recovered');
    assert.equal(await store.acquireLease('run_leased', 'llmctl:me:1:x', 10_000, () => false), 2, 'the owner itself may re-lease (next epoch)');
    await store.createRun({ id: 'run_plain', flowchart_id: fc.id, flowchart_version: 1, input: null });
    const plain = await store.getRun('run_plain');
    assert.equal(plain?.lease_owner, null);
    assert.equal(plain?.lease_epoch, 0);
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('Orchestrator.startRun on PostgreSQL runs a new run without leasing, reading or folding it', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 4, types: LLMCTL_PG_TYPES });
  const store = new PgRunStore(pool);
  const calls: string[] = [];
  for (const m of ['acquireLease', 'getRun', 'loadEvents', 'loadSnapshot', 'createRun', 'createLeasedRun', 'getFlowchartVersion'] as const) {
    const f = (store as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!.bind(store);
    (store as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
      calls.push(m);
      return f(...a);
    };
  }
  const orch = new Orchestrator({ store, handlers: { start: startHandler, end: endHandler }, newId: (p) => `${p}_${randomUUID().slice(0, 8)}`, leaseTtlMs: 60_000 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'se', nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [{ id: 'e1', source: 'start', target: 'end' }] } as never });
    await orch.start();
    calls.length = 0;
    const terminal = new Map<string, string>();
    let wake = (): void => undefined;
    orch.bus.onEvent((e) => {
      const p = e.payload as { kind?: string; status?: string };
      if (e.event_type === 'flowchart:run:updated' && p.kind === 'run.status' && (p.status === 'succeeded' || p.status === 'failed')) {
        terminal.set(e.run_id, p.status);
        wake();
      }
    });
    const id = await orch.startRun(fc.id, { input: { x: 1 } }, { request_id: null, correlation_id: null });
    while (!terminal.has(id)) await new Promise<void>((resolve) => (wake = resolve));
    assert.equal(terminal.get(id), 'succeeded');
    // the latest version read with its document, then the first commit, which creates the run with its lease
    assert.deepEqual(calls, ['getFlowchartVersion'], 'one statement before the first commit');
  } finally {
    await orch.stop();
    await pool.end();
    await db.drop();
  }
});
