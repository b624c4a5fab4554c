import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { startEmbeddedPostgres } from '@llmctl/store';
import { freshDir } from './support/embedded.ts';

test('a second instance on a data dir in use is refused with data_dir_in_use and the first keeps working', async () => {
  const tmp = await freshDir();
  try {
    const first = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true });
    try {
      await assert.rejects(startEmbeddedPostgres({ dataDir: tmp.dir, fast: true }), (err: unknown) => {
        assert.ok(err instanceof LlmctlError);
        assert.equal(err.code, 'data_dir_in_use');
        assert.equal(err.details.pid, process.pid);
        assert.match(err.message, /in use by another llmctl process/);
        return true;
      });
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
      await client.end();
    } finally {
      await first.stop();
    }
  } finally {
    await tmp.remove();
  }
});
