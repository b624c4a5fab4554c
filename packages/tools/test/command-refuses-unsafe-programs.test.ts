import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { invokeTool, runCommandTool, ToolRegistry } from '../src/index.ts';
import { makeCtx, tempDir } from './helpers.ts';

const ws = tempDir();
after(() => ws.cleanup());
const registry = new ToolRegistry([runCommandTool({ allowlist: ['echo', 'ls', 'node'] })]);

async function run(input: unknown) {
  const { ctx } = makeCtx(ws.dir);
  return invokeTool(registry, 'run_command', input, ctx());
}

test('program names with shell metacharacters are refused with command_not_allowed', async () => {
  for (const program of ['ls; rm -rf /', 'echo && id', 'ls|sh', 'node$(id)', '`id`', 'ls > x', 'echo ', "ls'", 'ls\nid', '-rf', 'ls*']) {
    const r = await run({ program });
    assert.equal(r.error?.code, 'command_not_allowed', program);
    assert.equal(r.error?.details.reason, 'shell_metacharacters', program);
  }
});

test('programs off the allowlist are refused with command_not_allowed', async () => {
  for (const program of ['rm', 'sh', 'bash', '/bin/ls', './ls', 'node2']) {
    const r = await run({ program });
    assert.equal(r.error?.code, 'command_not_allowed', program);
    assert.equal(r.error?.details.reason, 'not_allowlisted', program);
  }
});

test('arguments are passed literally, never interpreted by a shell', async () => {
  const r = await run({ program: 'echo', args: ['a; id', '$(id)', '`id`', '|', '*'] });
  assert.equal(r.status, 'success');
  assert.equal((r.output as { stdout: string }).stdout, 'a; id $(id) `id` | *\n');
});

test('the working directory is confined to the workspace', async () => {
  const r = await run({ program: 'ls', cwd: '../' });
  assert.equal(r.error?.code, 'path_outside_workspace');
});
