import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GUARDS = fileURLToPath(new URL('../src/process-guards.ts', import.meta.url));

function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `import { installProcessGuards } from ${JSON.stringify(GUARDS)};\ninstallProcessGuards();\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an unhandled rejection is logged with code unhandled_rejection and the process carries on', () => {
  const r = runScript(`void Promise.reject(new Error('boom')); setTimeout(() => console.log('still alive'), 50);`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /still alive/);
  const line = JSON.parse(r.stderr.trim().split('\n').find((l) => l.includes('unhandled_rejection'))!) as { code: string; err: { message: string } };
  assert.equal(line.code, 'unhandled_rejection');
  assert.equal(line.err.message, 'boom');
});

test('an uncaught exception is logged with code uncaught_exception and the process exits with status 70', () => {
  const r = runScript(`setTimeout(() => { throw new Error('kaboom'); }, 10); setInterval(() => undefined, 1000);`);
  assert.equal(r.status, 70, r.stderr);
  const line = JSON.parse(r.stderr.trim().split('\n').find((l) => l.includes('uncaught_exception'))!) as { code: string; err: { message: string } };
  assert.equal(line.code, 'uncaught_exception');
  assert.equal(line.err.message, 'kaboom');
});
