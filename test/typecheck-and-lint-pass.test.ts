import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The strict TypeScript configuration and the type-aware lint rules (no floating promises) hold for the whole tree.
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

test('the whole tree type-checks under the strict tsconfig', { timeout: 300_000 }, async () => {
  const r = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  assert.equal(r.code, 0, r.out.slice(0, 4000));
});

test('ESLint with type-aware rules reports nothing', { timeout: 300_000 }, async () => {
  const r = await run(bin('eslint'), ['.']);
  assert.equal(r.code, 0, r.out.slice(0, 4000));
});
