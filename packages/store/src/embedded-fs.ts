/**
 * Files and ownership for the embedded PostgreSQL: the OS user it runs as when we are root, traversable parent
 * directories, the data directory's mode, and the reused random password.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { LlmctlError } from '@llmctl/contracts';

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

function canTraverse(mode: number, uid: number, gid: number, as: RunAs): boolean {
  if (uid === as.uid) return (mode & 0o100) !== 0;
  if (gid === as.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/**
 * Makes sure the postgres user can reach `dir`: every ancestor it cannot traverse and that we own gets the
 * search bit for others (o+x: enter, not list). An ancestor we do not own and it cannot enter is a coded error.
 */
export async function ensureTraversable(dir: string, as: RunAs): Promise<void> {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  const me = process.getuid?.() ?? -1;
  for (const d of chain) {
    const s = await stat(d);
    if (canTraverse(s.mode, s.uid, s.gid, as)) continue;
    if (s.uid !== me && me !== 0) {
      throw new LlmctlError('embedded_database_failed',
        `The OS user "${as.user}" that runs PostgreSQL cannot enter ${d}; choose a data directory it can reach.`, { dir: d });
    }
    await chmod(d, (s.mode & 0o7777) | 0o001);
  }
}

/** Creates (mode 0700) and hands over the PostgreSQL data directory to the user postgres runs as. */
export async function preparePgDir(pgDir: string, as: RunAs | undefined): Promise<void> {
  await mkdir(pgDir, { recursive: true, mode: 0o700 });
  const s = await stat(pgDir);
  if (as && (s.uid !== as.uid || s.gid !== as.gid)) await chownTree(pgDir, as);
  if ((s.mode & 0o077) !== 0) await chmod(pgDir, 0o700);
}

async function chownTree(path: string, as: RunAs): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  await chown(path, as.uid, as.gid);
  const s = await stat(path);
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
