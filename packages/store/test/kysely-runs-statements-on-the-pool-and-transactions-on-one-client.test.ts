import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { kyselyOf } from '../src/db/kysely.ts';
import { openTestPool } from './support/test-pool.ts';

test('the pool Kysely runs single statements through pool.query and a transaction on one client, rolled back on throw; rows match the generated types', async () => {
  const db = await openTestPool();
  try {
    const k = kyselyOf(db.pool);
    assert.equal(kyselyOf(db.pool), k, 'one Kysely per pool');

    const seen: string[] = [];
    const pool = db.pool as unknown as { query: (...a: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(db.pool);
    pool.query = (...a: unknown[]) => {
      seen.push(String(a[0]));
      return query(...a);
    };
    const row = await k.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    pool.query = query;
    assert.equal(row.n, 0, 'bigint parsed to a number by the pool');
    assert.equal(seen.length, 1);

    const pids = new Set<number>();
    await assert.rejects(k.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values({ id: 'tok_1', name: 'a', token_hash: 'h' }).execute();
      for (let i = 0; i < 3; i += 1) {
        const r = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        pids.add(r.rows[0]!.pid);
      }
      throw new Error('boom');
    }), /boom/);
    assert.equal(pids.size, 1, 'every statement of the transaction on one connection');
    const after = await k.selectFrom('api_tokens').select('id').execute();
    assert.deepEqual(after, [], 'rolled back');
    assert.equal(db.pool.idleCount, db.pool.totalCount, 'the client went back to the pool');

    // The generated types say jsonb → parsed JSON, timestamptz → ISO string, bigint → number: so do the rows.
    const saved = await k.insertInto('runtime_settings').values({ id: 1, settings: JSON.stringify({ a: [1, 2] }) })
      .returning(['settings', 'updated_at']).executeTakeFirstOrThrow();
    assert.deepEqual(saved.settings, { a: [1, 2] });
    assert.match(saved.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  } finally {
    await db.close();
  }
});
