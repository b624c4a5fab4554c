import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { invokeTool, runCommandTool, SANDBOX_HOME, SANDBOX_PATH, ToolRegistry } from '../src/index.ts';
import { makeCtx, tempDir } from './helpers.ts';

const ws = tempDir();
after(() => {
  ws.cleanup();
  delete process.env.LLMCTL_TEST_SECRET_TOKEN;
  delete process.env.LLMCTL_TEST_ALLOWED;
});

test('commands see only the sandbox PATH and HOME, LANG, PWD, allowed variables and the idempotency key', async () => {
  process.env.LLMCTL_TEST_SECRET_TOKEN = 'sk-should-not-leak';
  process.env.LLMCTL_TEST_ALLOWED = 'visible';
  const registry = new ToolRegistry([
    runCommandTool({ allowlist: ['env'], allowed_env: ['LLMCTL_TEST_ALLOWED'], env: { FIXED: '1' } }),
  ]);
  const { ctx } = makeCtx(ws.dir);
  const call = ctx();
  const r = await invokeTool(registry, 'run_command', { program: 'env' }, call);
  assert.equal(r.status, 'success');
  const vars = Object.fromEntries(
    (r.output as { stdout: string }).stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.deepEqual(Object.keys(vars).sort(), ['FIXED', 'HOME', 'LANG', 'LLMCTL_IDEMPOTENCY_KEY', 'LLMCTL_TEST_ALLOWED', 'PATH', 'PWD']);
  assert.equal(vars.HOME, SANDBOX_HOME, 'a private HOME, not the server\'s');
  assert.equal(vars.PATH, SANDBOX_PATH, 'a fixed system PATH, not the server\'s');
  assert.equal(vars.LLMCTL_TEST_ALLOWED, 'visible');
  assert.equal(vars.LLMCTL_IDEMPOTENCY_KEY, call.idempotency_key);
  assert.ok(!JSON.stringify(vars).includes('sk-should-not-leak'));
});
