#!/usr/bin/env node
// Builds llmctl to JavaScript.
//   - the server/CLI bundle apps/server/dist/cli.js (esbuild: ESM, node20, source maps; the workspace @llmctl/*
//     packages are bundled in, every third-party package stays external) + the SQL migrations beside it;
//   - the studio (vite) into apps/studio/dist;
//   - with --types: declaration files of every package into <package>/dist/types (tsc, emitDeclarationOnly).
// Usage: node scripts/build.mjs [--if-stale] [--types] [--no-studio]
//   --if-stale  rebuild only what is older than its sources (what `npm start` runs)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isFresh } from '../apps/server/bin/freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const ifStale = args.has('--if-stale');
const serverDist = join(root, 'apps/server/dist');

/** Marks every bare import that is not a workspace package as external. */
const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@llmctl/') ? undefined : { path: a.path, external: true }));
  },
};

/** Bundles the CLI (`llmctl`, which also holds `serve`, `worker` and the executor entrypoint). */
export async function buildServer() {
  rmSync(serverDist, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'apps/server/src/cli.ts' },
    outdir: serverDist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalThirdParty],
  });
  cpSync(join(root, 'packages/store/migrations'), join(serverDist, 'assets/migrations'), { recursive: true });
  // The third-party packages the bundle imports: what an installed copy needs (scripts/pack-cli.mjs, images).
  const externals = new Set();
  for (const out of Object.values(result.metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external || imp.path.startsWith('node:')) continue;
      const parts = imp.path.split('/');
      externals.add(imp.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  writeFileSync(join(serverDist, 'externals.json'), JSON.stringify([...externals].sort(), null, 2) + '\n');
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status})`);
}

const STUDIO_INPUTS = ['apps/studio/src', 'apps/studio/index.html', 'apps/studio/vite.config.ts', 'apps/studio/package.json'];

async function main() {
  if (!ifStale || !isFresh(root, join(serverDist, 'cli.js'))) {
    console.log('build: apps/server/dist/cli.js');
    await buildServer();
  }
  if (!args.has('--no-studio') && (!ifStale || !isFresh(root, join(root, 'apps/studio/dist/index.html'), STUDIO_INPUTS))) {
    console.log('build: apps/studio/dist');
    run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', join(root, 'apps/studio')]);
  }
  if (args.has('--types')) {
    console.log('build: declaration files (<package>/dist/types)');
    const tmp = join(root, '.tmp/types');
    rmSync(tmp, { recursive: true, force: true });
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', tmp]);
    for (const pkg of ['packages/contracts', 'packages/engine', 'packages/store', 'packages/providers', 'packages/tools',
      'packages/executors', 'packages/migrate', 'packages/runtime', 'apps/server']) {
      const from = join(tmp, pkg, 'src');
      if (!existsSync(from)) continue;
      mkdirSync(join(root, pkg, 'dist'), { recursive: true });
      rmSync(join(root, pkg, 'dist/types'), { recursive: true, force: true });
      cpSync(from, join(root, pkg, 'dist/types'), { recursive: true });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => { console.error(`build failed: ${err.message}`); process.exit(1); });
}
