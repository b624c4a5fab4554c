#!/usr/bin/env node
// Vendor-CLI denylist check (docs/deploy/denylist.md). Fails (exit 1, one line per finding) when a denylisted
//   1. package is in the production dependency tree (package-lock.json entries that are not dev-only, and every
//      workspace package.json's dependencies) or a production package installs a denylisted binary (`bin`);
//   2. package or binary is installed by a Dockerfile under deploy/docker (RUN: npm/pnpm/yarn/npx, pip/pipx/uv,
//      apt-get/apk, curl/wget downloads);
//   3. command is spawned in the source (spawn/exec/execFile/fork/execa calls, and promisified aliases, whose command
//      is a string literal; `npx`/`sh -c` forms included).
// Usage: node deploy/denylist/check.mjs [--root DIR] [--list FILE]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Reads the list file: `{ packages: Set, commands: Set }`. */
export function readDenylist(file) {
  const packages = new Set();
  const commands = new Set();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [kind, name, extra] = line.split(/\s+/);
    if (!name || extra !== undefined || (kind !== 'package' && kind !== 'command')) throw new Error(`${file}: bad line "${raw}"`);
    (kind === 'package' ? packages : commands).add(name);
  }
  return { packages, commands };
}

const pkgName = (spec) => (spec.startsWith('@') ? spec.split('@').slice(0, 2).join('@') : spec.split(/[@=<>~!\[ ]/)[0]);

/** 1. Production dependency tree (lockfile + workspace manifests). */
export function checkDependencies(root, list) {
  const out = [];
  const lockFile = join(root, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      if (entry.dev) continue;
      const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (path.includes('node_modules/') && list.packages.has(name)) out.push(`dependency: package-lock.json: "${name}" (${path}) is in the production dependency tree`);
      for (const bin of Object.keys(entry.bin ?? {})) {
        if (list.commands.has(bin)) out.push(`dependency: package-lock.json: "${path}" installs the denylisted binary "${bin}"`);
      }
    }
  }
  for (const manifest of findFiles(root, (f) => basename(f) === 'package.json')) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (list.packages.has(name)) out.push(`dependency: ${relative(root, manifest)}: "${name}" in ${field}`);
      }
    }
  }
  return out;
}

const INSTALLERS = /^(npm|pnpm|yarn|bun|npx|bunx|pip|pip3|pipx|uv|apt-get|apt|apk|gem|cargo|go|brew)$/;

/** 2. Packages and binaries installed by Dockerfiles. */
export function checkDockerfiles(root, list) {
  const out = [];
  const dir = join(root, 'deploy/docker');
  for (const file of findFiles(dir, (f) => /Dockerfile/.test(basename(f)))) {
    const lines = readFileSync(file, 'utf8').replace(/\\\r?\n/g, ' ').split('\n');
    lines.forEach((line, i) => {
      const m = /^\s*RUN\s+(.*)$/i.exec(line);
      if (!m) return;
      const where = `${relative(root, file)}:${i + 1}`;
      for (const cmd of m[1].split(/&&|\|\||;|\|/)) {
        const words = cmd.trim().split(/\s+/).filter((w) => w && !w.startsWith('-'));
        if (words.length === 0) continue;
        const tool = basename(words[0]);
        if (/^(curl|wget)$/.test(tool)) {
          for (const name of [...list.commands, ...list.packages]) {
            const esc = name.replace(/[.*+?^${}()|[\]\\/@]/g, '\\$&');
            if (new RegExp(`(^|[^a-z0-9])${esc}([^a-z0-9]|$)`, 'i').test(words.slice(1).join(' '))) out.push(`dockerfile: ${where}: downloads "${name}" (${cmd.trim()})`);
          }
        } else if (INSTALLERS.test(tool)) {
          for (const w of words.slice(1)) {
            const name = pkgName(w.replace(/^['"]|['"]$/g, ''));
            if (list.packages.has(name) || list.commands.has(name) || list.commands.has(basename(name))) out.push(`dockerfile: ${where}: installs "${name}" (${cmd.trim()})`);
          }
        }
      }
    });
  }
  return out;
}

const CALLEES = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork', 'execa', 'execaSync', 'execaCommand'];
const RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'npm', 'pnpm', 'yarn', 'sh', 'bash', 'env', 'pipx', 'uvx']);

/** 3. Denylisted commands spawned in the source. */
export function checkSource(root, list) {
  const out = [];
  const dirs = ['packages', 'apps', 'scripts', 'deploy', 'bench/src'];
  const isSource = (f) => /\.(m?[jt]sx?|cjs|sh|py)$/.test(f) && !/[\\/](test|e2e|dist|node_modules)[\\/]/.test(f) && !/\.test\.[jt]sx?$/.test(f);
  for (const file of dirs.flatMap((d) => findFiles(join(root, d), isSource))) {
    const text = readFileSync(file, 'utf8');
    const callees = new Set(CALLEES);
    for (const a of text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:promisify\s*\(\s*)?(?:\w+\.)?(spawn|exec|execFile|spawnSync|execSync|execFileSync)\b/g)) callees.add(a[1]);
    const re = new RegExp(`(?:^|[^\\w$.])(?:\\w+\\.)?(${[...callees].map((c) => c.replace(/\$/g, '\\$')).join('|')})\\s*\\(\\s*(['"\`])([^'"\`]*)\\2([^)]{0,300})`, 'g');
    for (const m of text.matchAll(re)) {
      const line = text.slice(0, m.index).split('\n').length;
      const words = m[3].trim().split(/\s+/);
      const candidates = [basename(words[0] ?? '')];
      if (RUNNERS.has(candidates[0])) {
        candidates.push(...words.slice(1), ...[...m[4].matchAll(/['"`]([^'"`]+)['"`]/g)].flatMap((s) => s[1].split(/\s+/)));
      }
      for (const c of candidates) {
        const name = pkgName(basename(c));
        if (list.commands.has(name) || list.packages.has(pkgName(c))) out.push(`source: ${relative(root, file)}:${line}: ${m[1]}() runs "${c}"`);
      }
    }
  }
  return out;
}

function findFiles(dir, keep, acc = []) {
  let names;
  try { names = readdirSync(dir); } catch { return acc; }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, keep, acc);
    else if (keep(p)) acc.push(p);
  }
  return acc;
}

/** Runs every check; returns the findings (empty = pass). */
export function checkDenylist(root, listFile = join(root, 'deploy/denylist/denylist.txt')) {
  const list = readDenylist(listFile);
  return [...checkDependencies(root, list), ...checkDockerfiles(root, list), ...checkSource(root, list)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { root: { type: 'string' }, list: { type: 'string' } } });
  const root = values.root ?? fileURLToPath(new URL('../..', import.meta.url));
  const findings = checkDenylist(root, values.list);
  for (const f of findings) console.error(`denylist: ${f}`);
  console.log(findings.length === 0 ? 'denylist: ok (no vendor CLI in dependencies, Dockerfiles or spawned commands)' : `denylist: ${findings.length} violation(s)`);
  process.exit(findings.length === 0 ? 0 : 1);
}
