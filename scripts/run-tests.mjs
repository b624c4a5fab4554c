#!/usr/bin/env node
// Runs the whole test suite with node's test runner (TypeScript through tsx) against one shared PostgreSQL
// cluster, and ends with the line "N passed, N failed".
// Usage: node scripts/run-tests.mjs [file-or-dir-filter ...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, p));
  }
  return out;
}
const files = ['packages', 'apps', 'bench', 'test']
  .flatMap((d) => { try { return findTests(join(root, d)); } catch { return []; } })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const { startTestCluster } = await import('./test-cluster.mjs');
const cluster = await startTestCluster();
let code = 1;
let child;
// Ctrl-C reaches the test process too; wait for it to end so the cluster is always stopped.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child?.kill(signal));
try {
  code = await new Promise((resolve) => {
    child = spawn(process.execPath, [
      '--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/summary-reporter.mjs', '--test-reporter-destination=stdout',
      ...files,
    ], { cwd: root, stdio: 'inherit', env: { ...process.env, LLMCTL_TEST_DATABASE_URL: cluster.url } });
    child.on('exit', (c) => resolve(c ?? 1));
  });
} finally {
  await cluster.stop();
}
process.exit(code);
