import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmctlError } from '@llmctl/contracts';
import { createPool } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { createAuthService } from '../src/auth/install-auth.ts';

// Issue 18: a failing token count used to be swallowed and turned auth OFF (an open API). Any error while reading
// the token table must stop the server from starting instead.
test('auth refuses to start (auth_unavailable) when the api_tokens table cannot be read', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  const pool = createPool(scratch.url, { max: 2 });
  try {
    await pool.query('ALTER TABLE api_tokens RENAME TO api_tokens_moved');
    await assert.rejects(createAuthService({ config: { apiTokens: [] } as never, db: { pool } as never }), (err: unknown) => {
      assert.ok(err instanceof LlmctlError);
      assert.equal(err.code, 'auth_unavailable');
      return true;
    });
  } finally {
    await pool.end();
    await scratch.drop();
  }
});

test('auth stays open only when the token table is readable and empty, and closes when it holds a token', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  const pool = createPool(scratch.url, { max: 2 });
  try {
    const open = await createAuthService({ config: { apiTokens: [] } as never, db: { pool } as never });
    assert.equal(open.enabled, false);
    await pool.query("INSERT INTO api_tokens (id, token_hash, name) VALUES ('t1', repeat('a', 64), 'ci')");
    const closed = await createAuthService({ config: { apiTokens: [] } as never, db: { pool } as never });
    assert.equal(closed.enabled, true);
    const denied = await closed.check(undefined, '127.0.0.1');
    assert.equal(denied.ok, false);
  } finally {
    await pool.end();
    await scratch.drop();
  }
});
