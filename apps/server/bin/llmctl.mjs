#!/usr/bin/env -S node --max-semi-space-size=2
// The llmctl command. Runs the compiled CLI (dist/cli.js, built by `npm run build` / `npm start`) when it is there and
// not older than the sources; in a checkout without a fresh build it runs the TypeScript sources through tsx.
// LLMCTL_RUN_FROM=source|compiled forces one of the two (benchmarks, debugging). The shebang (and `npm start`, the
// images) caps V8's young generation at 2 MB per semi-space: ~25 MB less resident memory, same throughput
// (bench/report.md § Compiled build vs tsx).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

async function pick() {
  const want = process.env.LLMCTL_RUN_FROM;
  if (want === 'compiled' || !existsSync(source)) return 'compiled';
  if (want === 'source' || !existsSync(compiled)) return 'source';
  const { isFresh } = await import('./freshness.mjs');
  return isFresh(fileURLToPath(new URL('../../../', import.meta.url)), compiled) ? 'compiled' : 'source';
}

let main;
if ((await pick()) === 'compiled') {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
const code = await main(process.argv.slice(2));
process.exit(code);
