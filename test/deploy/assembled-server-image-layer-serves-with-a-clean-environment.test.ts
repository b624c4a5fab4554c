import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../deploy/docker/assemble.mjs';
import { health, runHelloSample, startServed } from './support/llmctl-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the assembled llmctl-server layer (compiled JS, no sources) serves the studio and runs a sample with env -i', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'llmctl-image-server-'));
  const app = join(tmp, 'app');
  try {
    await assemble('server', app);
    assert.ok(!existsSync(join(app, 'apps/server/src')), 'no TypeScript sources in the layer');
    assert.ok(existsSync(join(app, 'apps/server/dist/cli.js')));
    // The image runs `npm ci --omit=dev` beside the layer; here the checkout's installed tree stands in for it.
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tmp, LLMCTL_LOG_LEVEL: 'warn' };
    const served = await startServed(process.execPath,
      [join(app, 'apps/server/bin/llmctl.mjs'), 'serve', '--port', '0', '--data-dir', join(tmp, 'data')], env, tmp);
    try {
      const h = await health(served.url);
      assert.equal(h.status, 200);
      assert.equal(h.body.data.database.embedded, true);
      const page = await fetch(`${served.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">|<!doctype html>/i);
      const run = await runHelloSample(served.url);
      assert.equal(run.status, 'succeeded', JSON.stringify(run));
      assert.doesNotMatch(served.output(), /tsx/);
    } finally {
      await served.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
