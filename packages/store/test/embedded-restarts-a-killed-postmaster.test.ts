import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEmbeddedPostgres, type RestartInfo } from '@llmctl/store';
import { alive, freshDir } from './support/embedded.ts';

test('a postmaster killed with SIGKILL while llmctl runs is restarted on the same port with its data', async () => {
  const tmp = await freshDir();
  try {
    // fsync stays off (the OS does not crash here), but commits reach the WAL before they return.
    const server = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true, settings: { synchronous_commit: 'on' } });
    // The postmaster is an unref'd child (a script may exit without stopping it): keep this test's loop alive.
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      const setup = new pg.Client({ connectionString: server.url });
      await setup.connect();
      await setup.query('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42);');
      await setup.end();
      const { pid: first, port } = server;
      const down = new Promise((r) => server.onDown(r));
      const restarted = new Promise<RestartInfo>((r) => server.onRestart(r));

      process.kill(first, 'SIGKILL');
      await down;
      const info = await restarted;

      assert.equal(info.previousPid, first);
      assert.equal(server.pid, info.pid);
      assert.notEqual(server.pid, first);
      assert.equal(server.port, port);
      assert.equal(server.state, 'running');
      assert.equal(alive(first), false);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        assert.deepEqual((await client.query('SELECT 1 AS one, (SELECT x FROM kept) AS x')).rows, [{ one: 1, x: 42 }]);
      } finally {
        await client.end();
      }
    } finally {
      clearInterval(keepAlive);
      await server.stop();
    }
    assert.equal(server.state, 'stopped');
    assert.equal(alive(server.pid), false);
  } finally {
    await tmp.remove();
  }
});
