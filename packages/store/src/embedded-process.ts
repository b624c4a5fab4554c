/** Process helpers of the embedded PostgreSQL bootstrap: liveness, identity and orderly stopping of a pid. */
import { readFileSync } from 'node:fs';

/** `/proc/<pid>/stat` fields, when /proc exists (Linux). */
function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields after it follow the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', startTime: rest[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** The start time of `pid` in clock ticks since boot (Linux), used to tell a reused pid from its first owner. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

/** True while `pid` is a live process (zombies count as dead). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === undefined || (stat.state !== 'Z' && stat.state !== 'X');
}

/** The argv of `pid` (Linux), or undefined when it cannot be read. */
export function processArgv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s.length > 0);
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is a postgres postmaster serving `pgDataDir`. Without /proc (not Linux) any live pid counts, as
 * PostgreSQL itself assumes.
 */
export function isPostmasterOf(pid: number, pgDataDir: string): boolean {
  if (!isAlive(pid)) return false;
  const argv = processArgv(pid);
  if (argv === undefined) return true;
  const exe = argv[0] ?? '';
  if (!/postgres/.test(exe)) return false;
  const d = argv.indexOf('-D');
  return d >= 0 && argv[d + 1] === pgDataDir;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `pid` is gone; false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops a postmaster in order: SIGINT (fast shutdown: clean, rolls back open transactions), then SIGQUIT
 * (immediate), then SIGKILL. Resolves once the process is gone.
 */
export async function stopPostmaster(pid: number, fastTimeoutMs = 30_000): Promise<void> {
  for (const [signal, wait] of [['SIGINT', fastTimeoutMs], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, wait)) return;
  }
}
