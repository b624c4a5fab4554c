/**
 * Run creation on the hot path (issue 17): before the first run of a flowchart's latest version in a process, ONE
 * statement reads that version with its document; the next statement is the run's first commit, which creates the run
 * with its lease (and, with the start node settled in it, already starts the first work node). Once the version is
 * known, nothing precedes the first commit (a-run-is-created-by-its-first-commit.test.ts). A missing flowchart is
 * `not_found`, and nothing is created.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { Orchestrator, endHandler, startHandler } from '@llmctl/runtime';
import { FlowchartRepository, LLMCTL_PG_TYPES, PgRunStore } from '../src/index.ts';
import { createTestDatabase } from '../../../scripts/test-database.ts';

test('a run of the latest version: one read of the version, then its first commit creates it; a missing flowchart is not_found', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 4, types: LLMCTL_PG_TYPES });
  const store = new PgRunStore(pool);
  const orch = new Orchestrator({ store, handlers: { start: startHandler, end: endHandler }, newId: (p) => `${p}_${randomUUID().slice(0, 8)}`, leaseTtlMs: 60_000 });
  const sql: string[] = [];
  const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (...a: unknown[]) => {
    const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text: string }).text;
    sql.push(text.replace(/\s+/g, ' ').trim().slice(0, 40));
    return query(...a);
  };
  try {
    const repo = new FlowchartRepository(pool);
    const doc = (name: string) => ({ schema_version: 1, name, nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [{ id: 'e1', source: 'start', target: 'end' }] });
    const fc = await repo.create({ document: doc('v1') as never });
    await orch.start();
    const runOf = async () => {
      const id = await orch.startRun(fc.id, { input: { x: 1 } }, { request_id: null, correlation_id: null });
      return (await pool.query(`SELECT flowchart_version, status, lease_epoch FROM runs WHERE id = $1`, [id])).rows[0];
    };
    assert.deepEqual(await runOf(), { flowchart_version: 1, status: 'succeeded', lease_epoch: 1 });
    await repo.saveVersion(fc.id, { document: doc('v2') as never });
    const v2 = await runOf(); // the cached version 1 is stale: reads version 2 with its document, then runs it
    assert.equal(v2.flowchart_version, 2);
    sql.length = 0;
    assert.equal((await runOf()).flowchart_version, 2);
    // The version is known now (this process started a run of it): the first commit creates the run row itself.
    assert.ok(sql[0]?.startsWith('WITH x AS MATERIALIZED'), `the first statement is the run's first commit: ${sql.join(' | ')}`);

    await assert.rejects(orch.startRun('fc_missing', { input: null }, { request_id: null, correlation_id: null }),
      (e: unknown) => e instanceof LlmctlError && e.code === 'not_found' && (e.details as { flowchart_id?: string }).flowchart_id === 'fc_missing');
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM runs WHERE flowchart_id = 'fc_missing'`)).rows[0].n, 0);
  } finally {
    await orch.stop();
    await pool.end();
    await db.drop();
  }
});
