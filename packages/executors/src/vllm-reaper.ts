/**
 * A local vLLM server dies with the process that started it, even a SIGKILLed one (executors.md: a queue worker's
 * vLLM is its child). vLLM runs in a process group of its own (so a stop reaches its engine processes), which a
 * parent's death does not signal, and Node has no PR_SET_PDEATHSIG. So next to each server the parent starts a tiny
 * reaper: a `node -e` process in its own session whose stdin is a pipe from the parent. The kernel closes that pipe
 * when the parent ends, however it ends; the reaper then sends the server's group SIGTERM and, if it is still there
 * after the grace period, SIGKILL. A server that ends first (stopped, crashed) disarms its reaper ("disarm" on the
 * pipe), which then exits without signalling anything. Portable to every POSIX system Node runs on; no polling of the
 * parent's pid (which could be reused).
 */
import { spawn } from 'node:child_process';

/** The reaper's program (plain JavaScript for `node -e`; argv: the process group id, the grace period in ms). */
const REAPER_SOURCE = `
const pgid = Number(process.argv[1]);
const graceMs = Number(process.argv[2]);
let input = '';
let reaping = false;
const gone = () => { try { process.kill(-pgid, 0); return false; } catch (e) { return e.code !== 'EPERM'; } };
const signal = (sig) => { try { process.kill(-pgid, sig); } catch {} };
const reap = () => {
  if (reaping) return;
  reaping = true;
  if (gone()) process.exit(0);
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  setInterval(() => {
    if (gone()) process.exit(0);
    if (Date.now() >= deadline) { signal('SIGKILL'); process.exit(0); }
  }, 100);
};
process.on('SIGTERM', reap);
for (const sig of ['SIGINT', 'SIGHUP']) process.on(sig, () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; if (!reaping && input.includes('disarm')) process.exit(0); });
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

/** The reaper of one process group. */
export interface VllmReaper {
  /** The reaper's pid (tests). */
  readonly pid: number | undefined;
  /** The group ended by itself or was stopped: the reaper exits without signalling. */
  disarm(): void;
}

/**
 * Starts the reaper of process group `pgid` (the vLLM server's pid; it was spawned `detached`). The reaper does not
 * keep this process alive; if it cannot be started, the server runs without it (reported to `log`).
 */
export function startVllmReaper(pgid: number, graceMs: number, log: (line: string) => void): VllmReaper {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // the reaper is plain JavaScript: no loaders
  const child = spawn(process.execPath, ['-e', REAPER_SOURCE, String(pgid), String(graceMs)], { env, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.once('error', (err) => log(`the vLLM reaper did not start (${err.message}): vLLM will outlive this process if it is killed`));
  child.stdin!.on('error', () => undefined); // the reaper may have exited already
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  let armed = true;
  return {
    pid: child.pid,
    disarm() {
      if (!armed) return;
      armed = false;
      if (child.exitCode === null && child.signalCode === null) child.stdin!.end('disarm\n');
    },
  };
}
