import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@llmctl/store';
import { deadPid, freshDir } from './support/embedded.ts';

test('stale postmaster.pid and llmctl.pid files of dead processes are removed, not reported as corruption', async () => {
  const tmp = await freshDir();
  try {
    const first = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true });
    const pmFile = join(tmp.dir, 'pg', 'postmaster.pid');
    const lines = (await readFile(pmFile, 'utf8')).split('\n');
    await first.stop();

    const dead = await deadPid();
    lines[0] = String(dead);
    await writeFile(pmFile, lines.join('\n'));
    await writeFile(join(tmp.dir, 'llmctl.pid'), `${JSON.stringify({ pid: dead })}\n`);

    const second = await startEmbeddedPostgres({ dataDir: tmp.dir, fast: true });
    try {
      const owner = JSON.parse(await readFile(join(tmp.dir, 'llmctl.pid'), 'utf8')) as { pid: number };
      assert.equal(owner.pid, process.pid);
      assert.equal((await readFile(pmFile, 'utf8')).split('\n')[0], String(second.pid));
    } finally {
      await second.stop();
    }
  } finally {
    await tmp.remove();
  }
});
