import { test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, RECOVERY_BATCH } from '../src/index.ts';

// Issue 18: the recovery scan runs on every process every lease TTL; it must read only runs it could take (free or
// expired leases, or owners on this host whose process may have died), oldest lease first, at most a batch at a time.
test('the recovery scan returns only takeable runs, skips live remote owners in SQL, and adopts at most a batch at once', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'r', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    const me = 'llmctl:hostA:100:aaaa';
    const add = async (id: string, owner: string | null, expired: boolean, status = 'running'): Promise<void> => {
      await store.createRun({ id, flowchart_id: fc.id, flowchart_version: 1, input: {} });
      await pool.query(
        `UPDATE runs SET status = $2, lease_owner = $3, last_sequence = 1, created_at = now() - interval '1 hour',
           lease_expires_at = CASE WHEN $3::text IS NULL THEN NULL WHEN $4 THEN now() - interval '1 minute' ELSE now() + interval '1 minute' END
         WHERE id = $1`, [id, status, owner, expired]);
    };
    await add('run_free', null, false);
    await add('run_expired', 'llmctl:hostB:7:bbbb', true);
    await add('run_live_remote', 'llmctl:hostB:7:bbbb', false);
    await add('run_same_host_dead', 'llmctl:hostA:555:cccc', false);
    await add('run_same_host_live', 'llmctl:hostA:556:dddd', false);
    await add('run_mine', me, false);
    await add('run_done', null, false, 'succeeded');
    const asked: string[] = [];
    const isDead = (o: string): boolean => {
      asked.push(o);
      return o === 'llmctl:hostA:555:cccc';
    };
    const found = await store.findRunsToRecover(me, isDead);
    assert.deepEqual([...found].sort(), ['run_expired', 'run_free', 'run_same_host_dead']);
    assert.ok(!asked.includes('llmctl:hostB:7:bbbb'), 'a live remote owner is filtered out in SQL, never probed');

    for (let i = 0; i < RECOVERY_BATCH + 20; i += 1) await add(`run_bulk_${String(i).padStart(4, '0')}`, null, false);
    const capped = await store.findRunsToRecover(me, isDead);
    assert.equal(capped.length, RECOVERY_BATCH);
  } finally {
    await pool.end();
    await db.drop();
  }
});
