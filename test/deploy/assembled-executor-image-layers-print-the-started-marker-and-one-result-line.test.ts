import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../deploy/docker/assemble.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

for (const image of ['executor-frontier', 'executor-vllm'] as const) {
  test(`the assembled llmctl-${image} entrypoint (executor run --payload-file) prints STARTED first and exactly one RESULT_JSON line last`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), `llmctl-image-${image}-`));
    const app = join(tmp, 'app');
    try {
      await assemble(image, app);
      assert.ok(!existsSync(join(app, 'apps/server/src')), 'no TypeScript sources in the layer');
      assert.ok(!existsSync(join(app, 'apps/server/dist/assets/studio')), 'executor images hold no studio');
      symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
      // Where the Kubernetes Job mounts the payload Secret; a payload the executor must reject with a coded result.
      mkdirSync(join(tmp, 'run'));
      const payload = join(tmp, 'run/payload.json');
      writeFileSync(payload, JSON.stringify({ v: 1, attempt: {}, flowchart: {}, models: [] }));
      const r = spawnSync(process.execPath, [join(app, 'apps/server/bin/llmctl.mjs'), 'executor', 'run', '--payload-file', payload], {
        env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tmp }, cwd: tmp, encoding: 'utf8',
      });
      const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines[0], 'LLMCTL_EXECUTOR_STARTED', r.stdout + r.stderr);
      const results = lines.filter((l) => l.startsWith('LLMCTL_EXECUTOR_RESULT_JSON='));
      assert.equal(results.length, 1, r.stdout);
      assert.equal(lines.at(-1), results[0]);
      const result = JSON.parse(results[0]!.slice('LLMCTL_EXECUTOR_RESULT_JSON='.length)) as unknown;
      assert.equal(typeof result, 'object');
      assert.match(results[0]!, /payload_invalid/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
