import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, runCli, startServe } from './support/cli.ts';

test('llmctl serve on a fresh mktemp -d data dir: embedded database, second instance refused, restart after SIGKILL', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'llmctl-serve-'));
  const env = cliEnv();
  try {
    const first = await startServe(['--port', '0', '--data-dir', dataDir], env);
    try {
      assert.match(first.output(), /database: embedded PostgreSQL/);
      const health = await (await fetch(`${first.url}/api/health`)).json() as { data: { database: { embedded: boolean; ok: boolean } } };
      assert.deepEqual({ embedded: health.data.database.embedded, ok: health.data.database.ok }, { embedded: true, ok: true });

      const second = await runCli(['serve', '--port', '0', '--data-dir', dataDir], env);
      assert.equal(second.code, 1);
      assert.match(second.stderr, /error \[data_dir_in_use\]/);
      assert.equal((await fetch(`${first.url}/api/health`)).status, 200, 'the first server is unaffected');
    } finally {
      first.child.kill('SIGKILL');
    }
    await first.exited;

    const again = await startServe(['--port', '0', '--data-dir', dataDir], env);
    try {
      const list = await (await fetch(`${again.url}/api/flowcharts`)).json() as { page: { total: number } };
      assert.ok(list.page.total >= 2, 'the seeded samples survived');
    } finally {
      again.child.kill('SIGINT');
    }
    assert.equal(await again.exited, 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
