/**
 * Files and ownership for the embedded PostgreSQL: the OS user it runs as when we are root, what that user can reach,
 * where the cluster lives, the data directory's mode, and the reused random password.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, cp, lchown, lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LlmctlError } from '@llmctl/contracts';
import type { StoreLogger } from './pool.ts';

const run = promisify(execFile);

/** The uid/gid postgres runs as when llmctl runs as root (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

async function idOf(user: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), user };
  } catch {
    return undefined;
  }
}

/**
 * When running as root: the `postgres` OS user (created as a system user when missing). Otherwise undefined: postgres
 * runs as the current user.
 */
export async function resolveRunAs(user = 'postgres'): Promise<RunAs | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = await idOf(user);
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', user]).catch(async (err: { code?: number }) => {
      if (err.code !== 9) throw err; // 9: group exists
    });
    await run('useradd', ['--system', '--gid', user, '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  } catch (err) {
    throw new LlmctlError('embedded_database_failed',
      `PostgreSQL refuses to run as root, and the OS user "${user}" could not be created: ${(err as Error).message}`,
      { user });
  }
  const created = await idOf(user);
  if (!created) throw new LlmctlError('embedded_database_failed', `The OS user "${user}" was created but cannot be resolved.`, { user });
  return created;
}

function allows(s: { mode: number; uid: number; gid: number }, as: RunAs, bit: 1 | 4 | 5): boolean {
  const shift = s.uid === as.uid ? 6 : s.gid === as.gid ? 3 : 0;
  return ((s.mode >> shift) & bit) === bit;
}

/** The directories from `/` down to `path`'s parent. */
function ancestors(path: string): string[] {
  const chain: string[] = [];
  for (let d = dirname(path); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  return chain;
}

/**
 * True when `as` can reach `path`: it may enter every ancestor and read (and, for a regular file with an execute bit,
 * execute) `path` itself. Used to decide whether something must be placed elsewhere; it never changes a mode.
 */
export async function canReach(path: string, as: RunAs): Promise<boolean> {
  try {
    for (const d of ancestors(path)) if (!allows(await stat(d), as, 1)) return false;
    const s = await stat(path);
    return allows(s, as, s.isDirectory() ? 5 : (s.mode & 0o111) !== 0 ? 5 : 4);
  } catch {
    return false;
  }
}

/**
 * Creates (0755) and checks the root-owned directory where llmctl, running as root, keeps what the postgres user must
 * reach (binaries copies, clusters). Every directory on its path must be root-owned and not writable by others (a
 * sticky directory such as /tmp is fine as an ancestor), and enterable by others. Returns its real path.
 */
export async function ensureSharedDir(dir: string): Promise<string> {
  const created = await mkdir(dir, { recursive: true, mode: 0o755 });
  const real = await realpath(dir);
  // Just created under a strict umask: make what we created enterable (an existing directory is only checked).
  if (created !== undefined) {
    for (let d = resolve(dir); d.startsWith(created); d = dirname(d)) await chmod(d, 0o755);
  }
  const chain = [...ancestors(real), real];
  for (const [i, d] of chain.entries()) {
    const s = await stat(d);
    const last = i === chain.length - 1;
    const writableByOthers = (s.mode & 0o022) !== 0 && (last || (s.mode & 0o1000) === 0);
    if (s.uid !== 0 || writableByOthers || (s.mode & 0o001) === 0) {
      throw new LlmctlError('embedded_database_failed',
        `${d} must be owned by root, not writable by others and enterable by others to hold the embedded PostgreSQL ` +
          `files of the postgres OS user (set LLMCTL_EMBEDDED_PG_DIR to another directory).`, { dir: d });
    }
  }
  return real;
}

/**
 * Where the PostgreSQL cluster (PGDATA) of `dataDir` lives. Not root, or every parent of `dataDir` is enterable by the
 * postgres user: `<dataDir>/pg`, and `dataDir` itself (llmctl's own directory, whose secrets are 0600) gets the search
 * bit for others. Otherwise the parents are left alone: the cluster lives in `<sharedDir>/clusters/<id>/pg` and
 * `<dataDir>/pg` is a symbolic link to it (an existing cluster in `<dataDir>/pg` is moved there once). A cluster found
 * there that no link points to (its data dir was deleted and made again) is set aside, never reused nor deleted.
 */
export async function placeCluster(dataDir: string, as: RunAs | undefined, sharedDir: string,
  logger?: StoreLogger): Promise<string> {
  const inPlace = join(dataDir, 'pg');
  if (!as) return inPlace;
  const current = await lstat(inPlace).catch(() => undefined);
  if (current?.isSymbolicLink()) return resolve(dataDir, await readlink(inPlace));
  if (await allParentsEnterable(dataDir, as)) {
    const s = await stat(dataDir);
    if (!allows(s, as, 1)) await chmod(dataDir, (s.mode & 0o7777) | 0o001);
    return inPlace;
  }
  const clusters = join(await ensureSharedDir(sharedDir), 'clusters');
  const home = join(clusters, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  await reportAbandonedClusters(clusters, logger);
  await mkdir(home, { recursive: true, mode: 0o755 });
  await writeFile(join(home, 'data-dir'), `${dataDir}\n`, { mode: 0o644 });
  const target = join(home, 'pg');
  if (await lstat(target).then(() => true, () => false)) {
    const aside = `${target}.set-aside-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(target, aside);
    logger?.warn({ data_dir: dataDir, cluster: aside },
      'a cluster of this data dir without a link from it was set aside (remove it when it is not needed)');
  }
  if (current?.isDirectory()) {
    await rename(inPlace, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await cp(inPlace, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      await rm(inPlace, { recursive: true, force: true });
    });
  }
  await symlink(target, inPlace);
  return target;
}

/** Logs the clusters whose data directory no longer exists (never removed automatically: it may be unmounted). */
async function reportAbandonedClusters(clusters: string, logger?: StoreLogger): Promise<void> {
  const abandoned: string[] = [];
  for (const id of await readdir(clusters).catch(() => [] as string[])) {
    const owner = (await readFile(join(clusters, id, 'data-dir'), 'utf8').catch(() => '')).trim();
    if (owner && !(await lstat(owner).then(() => true, () => false))) abandoned.push(`${join(clusters, id)} (${owner})`);
  }
  if (abandoned.length > 0) {
    logger?.warn({ clusters: abandoned }, 'embedded PostgreSQL clusters whose data directory is gone: remove them when they are not needed');
  }
}

async function allParentsEnterable(dir: string, as: RunAs): Promise<boolean> {
  for (const d of ancestors(dir)) if (!allows(await stat(d), as, 1)) return false;
  return true;
}

/** Creates (mode 0700) and hands over the PostgreSQL data directory to the user postgres runs as. */
export async function preparePgDir(pgDir: string, as: RunAs | undefined): Promise<void> {
  await mkdir(pgDir, { recursive: true, mode: 0o700 });
  const s = await stat(pgDir);
  if (as && (s.uid !== as.uid || s.gid !== as.gid)) await chownTree(pgDir, as);
  if ((s.mode & 0o077) !== 0) await chmod(pgDir, 0o700);
}

/** Hands a tree to `as`; symbolic links are changed themselves, never followed. */
async function chownTree(path: string, as: RunAs): Promise<void> {
  await lchown(path, as.uid, as.gid);
  const s = await lstat(path);
  if (!s.isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), as);
}

/** The cluster password from `<dataDir>/pg-password` (0600), created at random on first use and reused after. */
export async function readOrCreatePassword(dataDir: string, initialised: boolean): Promise<string> {
  const file = join(dataDir, 'pg-password');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text.length > 0) {
      await chmod(file, 0o600);
      return text;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (initialised) {
    throw new LlmctlError('embedded_database_failed',
      `${file} is missing but the database in ${join(dataDir, 'pg')} already exists, so its password is unknown. ` +
        'Restore the file, or remove the pg directory to start with an empty database.', { file });
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}
