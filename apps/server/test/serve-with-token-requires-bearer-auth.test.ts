import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { loadConfig } from '../src/config.ts';

const BIN = fileURLToPath(new URL('../bin/llmctl.mjs', import.meta.url));
const TOKEN = 'cli-token-0123456789abcdef';

/** Runs `llmctl serve …` until it prints its start-up lines (or exits); returns the output and the child. */
function serve(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, LLMCTL_LOG_LEVEL: 'silent', LLMCTL_SEED_SAMPLES: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<{ out: string; code: number | null }>((resolve) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('press Ctrl-C')) resolve({ out, code: null });
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => resolve({ out, code }));
  });
  return { child, ready };
}

test('llmctl serve --token requires the bearer token on the API and says auth is on', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const { child, ready } = serve(['--token', TOKEN], { DATABASE_URL: db.url });
  try {
    const { out, code } = await ready;
    assert.equal(code, null, out);
    assert.match(out, /auth: on/);
    const url = /running at (http:\/\/\S+)/.exec(out)![1]!;
    assert.equal((await fetch(`${url}/api/flowcharts`)).status, 401);
    assert.equal((await fetch(`${url}/api/flowcharts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await fetch(`${url}/api/health`)).status, 200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.drop();
  }
});

test('a token shorter than 16 characters is refused before anything starts', async () => {
  const { ready } = serve(['--token', 'short'], { DATABASE_URL: 'postgres://127.0.0.1:1/none' });
  const { out, code } = await ready;
  assert.equal(code, 1);
  assert.match(out, /validation_failed.*--token/);
});

test('LLMCTL_API_TOKENS and LLMCTL_RATE_LIMIT configure auth and the rate limit', () => {
  const c = loadConfig({ LLMCTL_API_TOKENS: ` ${TOKEN} , other-token-0123456789 ,`, LLMCTL_RATE_LIMIT: '10,30' });
  assert.deepEqual(c.apiTokens, [TOKEN, 'other-token-0123456789']);
  assert.deepEqual(c.rateLimit, { perSecond: 10, burst: 30 });
  assert.equal(loadConfig({}).apiTokens, undefined);
  assert.equal(loadConfig({ LLMCTL_RATE_LIMIT: 'off' }).rateLimit, null);
  assert.throws(() => loadConfig({ LLMCTL_API_TOKENS: 'tiny' }), /LLMCTL_API_TOKENS/);
});
