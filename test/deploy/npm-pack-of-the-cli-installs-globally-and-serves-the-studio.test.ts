import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packCli } from '../../scripts/pack-cli.mjs';
import { health, runHelloSample, startServed } from './support/llmctl-process.ts';

// --prefer-offline: the package's npm-shrinkwrap.json pins the lockfile's tree (tarballs come from the npm cache);
// npm may still ask the registry for the metadata of the direct dependencies it has not cached.
test('npm pack of the CLI installs with npm install -g into a temp prefix and its llmctl serve runs a sample', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'llmctl-npm-'));
  try {
    const tarball = await packCli(join(tmp, 'pack'), join(tmp, 'stage'));
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout;
    assert.match(listing, /package\/dist\/cli\.js\n/);
    assert.match(listing, /package\/dist\/assets\/migrations\/0001_\S+\.sql\n/);
    assert.match(listing, /package\/dist\/assets\/studio\/index\.html\n/);
    assert.match(listing, /package\/npm-shrinkwrap\.json\n/);
    assert.doesNotMatch(listing, /\.ts\n/, 'no TypeScript in the package');

    const prefix = join(tmp, 'prefix');
    const npmEnv: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false' };
    delete npmEnv.NODE_OPTIONS;
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'],
      { encoding: 'utf8', env: npmEnv, cwd: tmp });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    const bin = join(prefix, 'bin/llmctl');
    assert.ok(existsSync(bin));
    const installed = join(prefix, 'lib/node_modules/@llmctl/cli');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(!('tsx' in pkg.dependencies) && !('typescript' in pkg.dependencies));
    assert.ok(!existsSync(join(installed, 'node_modules/tsx')), 'no TypeScript runner installed');

    const served = await startServed(bin, ['serve', '--port', '0', '--data-dir', join(tmp, 'data')],
      { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tmp, LLMCTL_LOG_LEVEL: 'warn' }, tmp);
    try {
      const h = await health(served.url);
      assert.equal(h.status, 200);
      assert.equal(h.body.data.database.embedded, true);
      assert.match(await (await fetch(`${served.url}/`)).text(), /<!doctype html>/i);
      const run = await runHelloSample(served.url, 'from the npm package');
      assert.equal(run.status, 'succeeded', JSON.stringify(run));
    } finally {
      await served.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
