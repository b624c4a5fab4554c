import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '@llmctl/store';
import { freshDir, gone, holdEmbedded, sigkill } from './support/embedded.ts';

const fixture = fileURLToPath(new URL('./fixtures/hold-embedded.ts', import.meta.url));

test('when the process that started the embedded PostgreSQL is SIGKILLed, its watchdog shuts the postmaster down cleanly', async () => {
  const tmp = await freshDir();
  try {
    const { child, pgPid, watchdogPid } = await holdEmbedded(fixture, tmp.dir);
    await sigkill(child);
    assert.ok(await gone(pgPid), `postmaster ${pgPid} still runs after its server was SIGKILLed`);
    assert.ok(await gone(watchdogPid), 'the watchdog exits once it has stopped the postmaster');
    // A fast shutdown (not a crash): PostgreSQL removed its own postmaster.pid.
    await assert.rejects(access(join(tmp.dir, 'pg', 'postmaster.pid')), /ENOENT/);

    const server = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true });
    try {
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
