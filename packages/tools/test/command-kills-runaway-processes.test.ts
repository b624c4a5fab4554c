import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { invokeTool, runCommandTool, ToolRegistry } from '../src/index.ts';
import { eventually, isAlive, makeCtx, tempDir } from './helpers.ts';

const ws = tempDir();
after(() => ws.cleanup());
const registry = new ToolRegistry([
  runCommandTool({ allowlist: ['yes', 'head', 'sleep', 'sh'], max_output_bytes: 1024 * 1024, default_timeout_ms: 400 }),
]);

async function run(input: unknown, signal?: AbortSignal) {
  const { ctx } = makeCtx(ws.dir, signal ? { signal } : {});
  return invokeTool(registry, 'run_command', input, ctx());
}

test('a command printing 100 MB is cut at the output cap and killed (head -c)', async () => {
  const r = await run({ program: 'head', args: ['-c', '104857600', '/dev/zero'], timeout_ms: 10_000 });
  assert.equal(r.error?.code, 'command_output_limit');
  assert.equal(r.error?.details.limit, 1024 * 1024);
  const pid = r.error?.details.pid as number;
  assert.ok(await eventually(() => !isAlive(pid)), 'head was killed');
});

test('an endless printer (yes) is cut at the output cap and killed', async () => {
  const r = await run({ program: 'yes', timeout_ms: 10_000 });
  assert.equal(r.error?.code, 'command_output_limit');
  assert.ok(await eventually(() => !isAlive(r.error?.details.pid as number)));
});

test('a command that never ends (sleep 1000) is killed at its timeout', async () => {
  const r = await run({ program: 'sleep', args: ['1000'] });
  assert.equal(r.error?.code, 'command_timeout');
  assert.equal(r.error?.details.timeout_ms, 400);
  assert.ok(await eventually(() => !isAlive(r.error?.details.pid as number)));
});

test('every process of the command is killed at timeout, background children and new sessions included', async () => {
  const r = await run({ program: 'sh', args: ['-c', 'sleep 1000.25 & setsid sleep 1000.25 & wait'], timeout_ms: 400 });
  assert.equal(r.error?.code, 'command_timeout');
  const shPid = r.error?.details.pid as number;
  assert.ok(await eventually(() => !isAlive(shPid)));
  // The background sleeper lives in the sandbox's own session and PID namespace: find it by its unique command line.
  const sleeperAlive = (): boolean =>
    readdirSync('/proc').some((p: string) => {
      if (!/^\d+$/.test(p)) return false;
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\u00001000.25\u0000' && isAlive(Number(p));
      } catch {
        return false;
      }
    });
  assert.ok(await eventually(() => !sleeperAlive()), 'no process of the command survives');
});

test('canceling the invocation kills the running command', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('run canceled')), 100);
  const r = await run({ program: 'sleep', args: ['1000'], timeout_ms: 10_000 }, controller.signal);
  assert.equal(r.error?.code, 'canceled');
});
