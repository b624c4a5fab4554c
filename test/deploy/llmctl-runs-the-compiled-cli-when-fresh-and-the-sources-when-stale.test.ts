import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A miniature checkout: the real shim, a source CLI and a "compiled" CLI that say which one ran. */
function miniCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmctl-shim-'));
  for (const f of ['llmctl.mjs', 'freshness.mjs']) cpSync(join(root, 'apps/server/bin', f), join(dir, 'apps/server/bin', f));
  mkdirSync(join(dir, 'apps/server/src'), { recursive: true });
  mkdirSync(join(dir, 'apps/server/dist'), { recursive: true });
  mkdirSync(join(dir, 'packages/engine/src'), { recursive: true });
  writeFileSync(join(dir, 'apps/server/src/cli.ts'), "export async function main(args: string[]): Promise<number> { console.log('source', args.join(' ')); return 0; }\n");
  writeFileSync(join(dir, 'packages/engine/src/index.ts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'apps/server/dist/cli.js'), "export async function main(args) { console.log('compiled', args.join(' ')); return 0; }\n");
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function llmctl(dir: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [join(dir, 'apps/server/bin/llmctl.mjs'), 'serve', '--port', '1'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

test('llmctl runs dist/cli.js when it is newer than every source, the TypeScript sources through tsx when a source is newer', () => {
  const dir = miniCheckout();
  try {
    const t = Math.floor(Date.now() / 1000);
    at(join(dir, 'apps/server/src/cli.ts'), t - 100);
    at(join(dir, 'packages/engine/src/index.ts'), t - 100);
    at(join(dir, 'apps/server/dist/cli.js'), t - 50);
    assert.equal(llmctl(dir), 'compiled serve --port 1');
    at(join(dir, 'packages/engine/src/index.ts'), t - 10); // someone edited a package after the build
    assert.equal(llmctl(dir), 'source serve --port 1');
    assert.equal(llmctl(dir, { LLMCTL_RUN_FROM: 'compiled' }), 'compiled serve --port 1');
    at(join(dir, 'apps/server/dist/cli.js'), t);
    assert.equal(llmctl(dir), 'compiled serve --port 1');
    assert.equal(llmctl(dir, { LLMCTL_RUN_FROM: 'source' }), 'source serve --port 1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('llmctl falls back to the sources when there is no build, and runs dist alone when there are no sources', () => {
  const dir = miniCheckout();
  try {
    rmSync(join(dir, 'apps/server/dist'), { recursive: true });
    assert.equal(llmctl(dir), 'source serve --port 1');
    const installed = miniCheckout();
    try {
      rmSync(join(installed, 'apps/server/src'), { recursive: true });
      at(join(installed, 'packages/engine/src/index.ts'), Math.floor(Date.now() / 1000) + 100); // newer, but no sources to run
      assert.equal(llmctl(installed), 'compiled serve --port 1');
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
