/**
 * A pids cgroup per sandboxed process where the host lets us make one (cgroup v1 `pids` hierarchy or cgroup v2 with
 * the pids controller): RLIMIT_NPROC does not bind a process whose real user is root, pids.max does.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const CANDIDATES = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup'];
let base: string | null | undefined;
let counter = 0;

async function findBase(): Promise<string | null> {
  for (const dir of CANDIDATES) {
    if (!existsSync(path.join(dir, 'cgroup.procs'))) continue;
    const probe = path.join(dir, `llmctl-probe-${process.pid}`);
    try {
      await mkdir(probe);
      const ok = existsSync(path.join(probe, 'pids.max'));
      await rmdir(probe);
      if (ok) {
        await removeStale(dir);
        return dir;
      }
    } catch {
      // not writable here
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the empty cgroups a killed server left behind (`llmctl-<dead pid>-<n>`). */
async function removeStale(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^llmctl-(\d+)-\d+$/.exec(name);
    if (m && !alive(Number(m[1]))) await rmdir(path.join(dir, name)).catch(() => undefined);
  }
}

/** A created pids cgroup: the file to write a pid into, and its removal. */
export interface PidsCgroup {
  procs: string;
  remove(): Promise<void>;
}

/** Makes a pids cgroup limited to `max` tasks, or null when the host has none we may write. */
export async function createPidsCgroup(max: number): Promise<PidsCgroup | null> {
  if (base === undefined) base = await findBase();
  if (base === null) return null;
  const dir = path.join(base, `llmctl-${process.pid}-${(counter += 1)}`);
  try {
    await mkdir(dir);
    await writeFile(path.join(dir, 'pids.max'), String(max));
  } catch {
    return null;
  }
  return {
    procs: path.join(dir, 'cgroup.procs'),
    async remove() {
      for (let i = 0; i < 50; i += 1) {
        if (!existsSync(dir)) return;
        try {
          const left = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean);
          for (const pid of left) {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              // gone
            }
          }
          await rmdir(dir);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    },
  };
}
