/** The `<dataDir>/llmctl.pid` lock: one live llmctl process per data directory. */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { LlmctlError } from '@llmctl/contracts';
import { isAlive, processStartTime } from './embedded-process.ts';

/** What the lock file records about its owner. */
export interface LockOwner {
  pid: number;
  start_time?: string;
  hostname?: string;
  started_at?: string;
}

/** A held data-dir lock. */
export interface DataDirLock {
  file: string;
  release(): Promise<void>;
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as LockOwner;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    const pid = Number.parseInt(text.trim(), 10);
    return Number.isFinite(pid) ? { pid } : undefined;
  }
}

/** True when the recorded owner is a live process (on another host we cannot tell, so it counts as live). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.hostname && owner.hostname !== hostname()) return true;
  if (!isAlive(owner.pid)) return false;
  const now = processStartTime(owner.pid);
  return !(owner.start_time && now && now !== owner.start_time);
}

/**
 * Takes the data-dir lock or throws `data_dir_in_use` naming the live owner. A lock left by a dead process (or a
 * reused pid) is replaced.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, 'llmctl.pid');
  const me: LockOwner = {
    pid: process.pid, start_time: processStartTime(process.pid), hostname: hostname(), started_at: new Date().toISOString(),
  };
  const content = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(file, content, { flag: 'wx', mode: 0o644 });
      // Re-read: a racing starter that removed a stale lock at the same instant must not leave two owners.
      if ((await readFile(file, 'utf8')) !== content) continue;
      return {
        file,
        async release() {
          const now = await readFile(file, 'utf8').catch(() => undefined);
          if (now === content) await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(file);
    if (owner && ownerAlive(owner)) {
      const where = owner.hostname && owner.hostname !== hostname() ? ` on host ${owner.hostname}` : '';
      throw new LlmctlError(
        'data_dir_in_use',
        `The data directory ${dataDir} is in use by another llmctl process (pid ${owner.pid}${where}). ` +
          'Stop that process first, or pass another --data-dir.',
        { data_dir: dataDir, pid: owner.pid, lock_file: file, hostname: owner.hostname ?? null },
      );
    }
    await unlink(file).catch(() => undefined);
  }
  throw new LlmctlError('data_dir_in_use', `Could not take the lock ${file}: other processes keep replacing it.`, {
    data_dir: dataDir, lock_file: file,
  });
}
