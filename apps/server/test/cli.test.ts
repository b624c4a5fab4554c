import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { cliEnv, runCli, startServe } from './support/cli.ts';

test('llmctl db migrate applies migrations to DATABASE_URL and exits 0', async () => {
  const scratch = await createTestDatabase();
  try {
    const first = await runCli(['db', 'migrate'], cliEnv({ DATABASE_URL: scratch.url }));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied \d+ migration\(s\): 0001_initial\.sql/);
    assert.ok(!first.stdout.includes(new URL(scratch.url).password), 'the password is not printed');
    const second = await runCli(['db', 'migrate'], cliEnv({ DATABASE_URL: scratch.url }));
    assert.match(second.stdout, /up to date/);
  } finally {
    await scratch.drop();
  }
});

test('llmctl with an unknown command or option prints usage and exits 2', async () => {
  const env = cliEnv();
  const unknown = await runCli(['frobnicate'], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command/);
  assert.match(unknown.stderr, /llmctl serve/);
  const badFlag = await runCli(['serve', '--colour'], env);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /usage: llmctl serve/);
});

test('llmctl serve with DATABASE_URL prints URL, database mode and auth, serves, and stops on SIGINT', async () => {
  const scratch = await createTestDatabase();
  try {
    const serve = await startServe(['--port', '0'], cliEnv({ DATABASE_URL: scratch.url }));
    try {
      assert.match(serve.output(), /database: external PostgreSQL/);
      assert.match(serve.output(), /auth: off/);
      const health = await (await fetch(`${serve.url}/api/health`)).json() as { data: { database: { embedded: boolean } } };
      assert.equal(health.data.database.embedded, false);
      const list = await (await fetch(`${serve.url}/api/flowcharts`)).json() as { page: { total: number } };
      assert.ok(list.page.total >= 2, 'samples were seeded into the empty database');
    } finally {
      serve.child.kill('SIGINT');
    }
    assert.equal(await serve.exited, 0);
    assert.match(serve.output(), /stopped/);
  } finally {
    await scratch.drop();
  }
});
