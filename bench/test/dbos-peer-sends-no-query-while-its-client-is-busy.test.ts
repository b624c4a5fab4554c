/**
 * Known defect: `npm run bench` printed pg's DeprecationWarning "Calling client.query() when the client is already
 * executing a query". The DBOS peer's system pool sent `SET idle_in_transaction_session_timeout` from a `connect`
 * listener, queued ahead of the borrower's first query on the same client. The driver now gives DBOS a system-database
 * URL that sets the timeout as a startup option (DBOS then adds no listener): no overlapping queries, same setting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../../scripts/test-database.ts';
import { DbosDriver, dbosSystemUrl } from '../src/dbos-driver.ts';

test('the DBOS peer runs concurrent workflows on new connections without pg\'s overlapping-query warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    if (w.name === 'DeprecationWarning') warnings.push(w.message);
  };
  process.on('warning', onWarning);
  const db = await createTestDatabase();
  let driver: DbosDriver | undefined;
  try {
    driver = await DbosDriver.open(db.url, { poolMax: 4 });
    const fanout = driver.compile({ kind: 'fanout', width: 6 });
    // Concurrent workflows make the pool open new clients while queries are waiting for them.
    await Promise.all(Array.from({ length: 8 }, () => fanout()));
    await driver.close();
    driver = undefined;
    // The warning is emitted on the next tick: let it arrive before reading.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((m) => m.includes('already executing a query')), []);

    const c = new pg.Client({ connectionString: dbosSystemUrl(db.url) });
    await c.connect();
    try {
      const r = await c.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout');
      assert.equal(r.rows[0]!.idle_in_transaction_session_timeout, '1min', 'the timeout DBOS sets is still set');
    } finally {
      await c.end();
    }
  } finally {
    process.off('warning', onWarning);
    await driver?.close();
    await db.drop();
  }
});
