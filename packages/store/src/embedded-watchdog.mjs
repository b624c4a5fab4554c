// The embedded PostgreSQL's watchdog: `node embedded-watchdog.mjs <PGDATA>`, started detached by the llmctl process
// that runs the postmaster, with its stdin a pipe that only that process holds. The process writes `pid <n>` for
// every postmaster it starts and `release` before an orderly stop. When the pipe closes without `release` (the
// process died, even by SIGKILL), the watchdog stops the postmaster of PGDATA (SIGINT = fast shutdown, then SIGQUIT,
// then SIGKILL) and exits. Plain JavaScript so that it starts in milliseconds without a TypeScript loader.
import { readFileSync } from 'node:fs';

const pgDir = process.argv[2];
const pids = new Set();
let released = false;
let buffer = '';

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

function fromPidFile() {
  try {
    return Number.parseInt(readFileSync(`${pgDir}/postmaster.pid`, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return undefined;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stopAll() {
  if (released) process.exit(0);
  const targets = [...pids, fromPidFile()].filter((pid) => isPostmasterOfPgDir(pid));
  for (const pid of new Set(targets)) {
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
    if (m) pids.add(Number(m[1]));
    else if (line === 'release') released = true;
  }
});
process.stdin.on('end', () => void stopAll());
process.stdin.on('error', () => void stopAll());
