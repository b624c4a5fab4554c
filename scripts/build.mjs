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

/**
 * Bundles the CLI (`llmctl`, which also holds `serve`, `worker` and the executor entrypoint) into `outDir`
 * (default apps/server/dist): cli.js + source map, assets/migrations, externals.json (third-party packages it imports).
 */
export async function buildServer(outDir = serverDist) {
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'apps/server/src/cli.ts' },
    outdir: outDir,
    bundle: true,
    // Code splitting keeps dynamically imported modules (OpenTelemetry export, …) in chunks loaded on first use.
    splitting: true,
    chunkNames: '[name]-[hash]', // beside cli.js: paths relative to import.meta.url stay the same in every chunk
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalThirdParty],
  });
  cpSync(join(root, 'packages/store/migrations'), join(outDir, 'assets/migrations'), { recursive: true });
  // The third-party packages the bundle imports: what an installed copy needs (scripts/pack-cli.mjs, images).
  const externals = new Set();
  for (const out of Object.values(result.metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external || imp.path.startsWith('node:')) continue;
      const parts = imp.path.split('/');
      externals.add(imp.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  writeFileSync(join(outDir, 'externals.json'), JSON.stringify([...externals].sort(), null, 2) + '\n');
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status})`);
}

const STUDIO_INPUTS = ['apps/studio/src', 'apps/studio/index.html', 'apps/studio/vite.config.ts', 'apps/studio/package.json'];
const studioDist = join(root, 'apps/studio/dist');

/** Puts the built studio into `outDir` (default apps/studio/dist): a copy of a fresh apps/studio/dist, else vite. */
export function buildStudio(outDir = studioDist, { ifStale = true } = {}) {
  const fresh = isFresh(root, join(studioDist, 'index.html'), STUDIO_INPUTS);
  if (outDir === studioDist) {
    if (ifStale && fresh) return;
  } else if (fresh) {
    rmSync(outDir, { recursive: true, force: true });
    cpSync(studioDist, outDir, { recursive: true });
    return;
  }
  console.log(`build: studio → ${outDir}`);
  run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir', join(root, 'apps/studio')]);
}

async function main() {
  if (!ifStale || !isFresh(root, join(serverDist, 'cli.js'))) {
    console.log('build: apps/server/dist/cli.js');
    await buildServer();
  }
  if (!args.has('--no-studio')) buildStudio(studioDist, { ifStale });
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
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => { console.error(`build failed: ${err.message}`); process.exit(1); });
}
