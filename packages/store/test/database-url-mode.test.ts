import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { openDatabase, migrationStatus } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { freshDir } from './support/embedded.ts';

test('openDatabase with a database URL never starts an embedded server and migrates the database', async () => {
  const scratch = await createTestDatabase();
  const tmp = await freshDir();
  try {
    const db = await openDatabase({ databaseUrl: scratch.url, dataDir: tmp.dir });
    try {
      assert.equal(db.embedded, false);
      assert.equal(db.url, scratch.url);
      assert.deepEqual((await migrationStatus(db.pool)).pending, []);
      assert.deepEqual(await readdir(tmp.dir), []);
    } finally {
      await db.close();
    }
  } finally {
    await tmp.remove();
    await scratch.drop();
  }
});
