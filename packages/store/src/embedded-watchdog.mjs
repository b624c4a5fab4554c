// The embedded PostgreSQL's watchdog: `node embedded-watchdog.mjs <PGDATA>`, started detached by the llmctl process
// that runs the postmaster, with its stdin a pipe that only that process holds. The process writes `pid <n>` for
// every postmaster it starts (right after spawning it) and `release` before an orderly stop. When the pipe closes
// without `release` (the process died, even by SIGKILL), the watchdog stops those postmasters that still run
// (SIGINT = fast shutdown, then SIGQUIT, then SIGKILL) and exits. A pid counts only while it is the same process
// (same start time) serving PGDATA: the pid file is not read, so a successor's postmaster is never touched. Plain JavaScript so that it starts in milliseconds without a TypeScript loader.
import { readFileSync } from 'node:fs';

const pgDir = process.argv[2];
/** pid → start time (clock ticks since boot) read when the pid was announced. */
const pids = new Map();
let released = false;
let buffer = '';

function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

function isPostmasterOfPgDir(pid) {
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  let argv;
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true;
  }
  const d = argv.indexOf('-D');
  return /postgres/.test(argv[0] ?? '') && d >= 0 && argv[d + 1] === pgDir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stopAll() {
  if (released) process.exit(0);
  const targets = [...pids].filter(([pid, started]) => isPostmasterOfPgDir(pid) && startTime(pid) === started);
  for (const [pid] of targets) {
    for (const [signal, waitMs] of [['SIGINT', 30_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]]) {
      try {
        process.kill(pid, signal);
      } catch {
        break;
      }
      const deadline = Date.now() + waitMs;
      while (alive(pid) && Date.now() < deadline) await sleep(50);
      if (!alive(pid)) break;
    }
  }
  process.exit(0);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
    const line = buffer.slice(0, i).trim();
    buffer = buffer.slice(i + 1);
    const m = /^pid (\d+)$/.exec(line);
    if (m) pids.set(Number(m[1]), startTime(Number(m[1])));
    else if (line === 'release') released = true;
  }
});
process.stdin.on('end', () => void stopAll());
process.stdin.on('error', () => void stopAll());
