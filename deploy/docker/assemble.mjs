#!/usr/bin/env node
// Assembles the app layer of one llmctl image into OUTDIR. The Dockerfiles run exactly this (build stage), and the
// tests run it too and start the very files an image holds.
//   OUTDIR/package.json, package-lock.json, <workspace>/package.json   — for `npm ci --omit=dev` from the lockfile
//   OUTDIR/apps/server/bin/llmctl.mjs (+ freshness.mjs)                — the entrypoint (no sources: runs dist only)
//   OUTDIR/apps/server/dist/cli.js (+ map, assets/migrations)          — the compiled CLI (scripts/build.mjs)
//   OUTDIR/apps/server/dist/assets/studio, apps/server/samples          — server image only
// Usage: node deploy/docker/assemble.mjs <server|executor-frontier|executor-vllm> <OUTDIR>
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, buildStudio } from '../../scripts/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The images and what their app layer holds. */
export const IMAGES = {
  server: { studio: true, samples: true },
  'executor-frontier': { studio: false, samples: false },
  'executor-vllm': { studio: false, samples: false },
};

/** Assembles `image`'s app layer into `outDir` (emptied first). */
export async function assemble(image, outDir) {
  const spec = IMAGES[image];
  if (!spec) throw new Error(`unknown image "${image}" (expected one of ${Object.keys(IMAGES).join(', ')})`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(outDir, file));
  for (const ws of rootPkg.workspaces) {
    mkdirSync(join(outDir, ws), { recursive: true });
    cpSync(join(root, ws, 'package.json'), join(outDir, ws, 'package.json'));
  }
  for (const f of ['llmctl.mjs', 'freshness.mjs']) cpSync(join(root, 'apps/server/bin', f), join(outDir, 'apps/server/bin', f));
  const dist = join(outDir, 'apps/server/dist');
  await buildServer(dist);
  if (spec.studio) buildStudio(join(dist, 'assets/studio'));
  if (spec.samples) cpSync(join(root, 'apps/server/samples'), join(outDir, 'apps/server/samples'), { recursive: true });
  writeFileSync(join(outDir, 'llmctl-image.json'), `${JSON.stringify({ image, version: rootPkg.version }, null, 2)}\n`);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [image, outDir] = process.argv.slice(2);
  if (!image || !outDir) {
    console.error('usage: node deploy/docker/assemble.mjs <server|executor-frontier|executor-vllm> <OUTDIR>');
    process.exit(2);
  }
  assemble(image, outDir).then(() => console.log(`assembled ${image} into ${outDir}`), (err) => {
    console.error(`assemble failed: ${err.message}`);
    process.exit(1);
  });
}
