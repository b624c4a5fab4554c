import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@llmctl/store';
import { freshDir, freshSharedDir } from './support/embedded.ts';

test('the embedded PostgreSQL starts in a fresh mktemp -d data dir, local TCP only, and reuses its password', async () => {
  const tmp = await freshDir();
  // As root, tmp.dir (0700) keeps the postgres user out: the cluster goes to the shared dir (see the root tests).
  const shared = await freshSharedDir();
  const dataDir = join(tmp.dir, 'nested', 'data');
  try {
    const server = await startEmbeddedPostgres({ dataDir, fast: true, sharedDir: shared.dir });
    let password: string;
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const r = await client.query("SELECT current_setting('listen_addresses') AS l, current_setting('unix_socket_directories') AS u, current_database() AS d");
      await client.end();
      assert.deepEqual(r.rows[0], { l: '127.0.0.1', u: '', d: 'llmctl' });
      password = (await readFile(join(dataDir, 'pg-password'), 'utf8')).trim();
      assert.equal((await stat(join(dataDir, 'pg-password'))).mode & 0o777, 0o600);
      assert.equal((await stat(join(dataDir, 'pg'))).mode & 0o777, 0o700);
      assert.match(await readFile(join(dataDir, 'postgres.log'), 'utf8'), /ready to accept connections/);
      assert.ok(server.url.includes(encodeURIComponent(password)));
    } finally {
      await server.stop();
    }
    await assert.rejects(stat(join(dataDir, 'llmctl.pid')), /ENOENT/);
    const again = await startEmbeddedPostgres({ dataDir, fast: true, sharedDir: shared.dir });
    try {
      assert.ok(again.url.includes(encodeURIComponent(password)));
    } finally {
      await again.stop();
    }
  } finally {
    await tmp.remove();
    await shared.remove();
  }
});
