import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '@llmctl/store';
import { alive, freshDir, gone, holdEmbedded, sigkill } from './support/embedded.ts';

const fixture = fileURLToPath(new URL('./fixtures/hold-embedded.ts', import.meta.url));

test('after the owning process and its watchdog are SIGKILLed, a new start stops the orphaned postgres and keeps the data', async () => {
  const tmp = await freshDir();
  try {
    const { child, pgPid: orphanPid, watchdogPid } = await holdEmbedded(fixture, tmp.dir);
    // Both die at once (an OOM kill of the whole tree): nothing is left to stop the postmaster.
    process.kill(watchdogPid, 'SIGKILL');
    assert.ok(await gone(watchdogPid));
    await sigkill(child);
    assert.ok(alive(orphanPid), 'the postgres of the killed process is still running (an orphan)');

    const server = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true });
    try {
      assert.notEqual(server.pid, orphanPid);
      assert.equal(alive(orphanPid), false);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      assert.deepEqual((await client.query('SELECT x FROM survived')).rows, [{ x: 7 }]);
      await client.end();
    } finally {
      await server.stop();
    }
  } finally {
    await tmp.remove();
  }
});
