import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '@llmctl/store';
import { alive, freshDir } from './support/embedded.ts';

const fixture = fileURLToPath(new URL('./fixtures/hold-embedded.ts', import.meta.url));


test('after the owning process is SIGKILLed, a new start stops the orphaned postgres and keeps the data', async () => {
  const tmp = await freshDir();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const orphanPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
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
