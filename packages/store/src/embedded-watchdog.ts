/**
 * The embedded PostgreSQL's watchdog, a tiny Node program run as `node -e WATCHDOG_SOURCE <PGDATA>` (inline, so it
 * survives bundling), started detached by the llmctl process that runs the postmaster, with its stdin a pipe that
 * only that process holds. The process writes `pid <n>` for every postmaster it starts (right after spawning it) and
 * `release` before an orderly stop. When the pipe closes without `release` (the process died, even by SIGKILL), the
 * watchdog stops those postmasters that still run (SIGINT = fast shutdown, then SIGQUIT, then SIGKILL) and exits. A
 * pid counts only while it is the same process (same start time) serving PGDATA; the pid file is not read, so a
 * successor's postmaster is never touched.
 */
export const WATCHDOG_SOURCE = String.raw`// llmctl embedded PostgreSQL watchdog
'use strict';
const { readFileSync } = require('node:fs');
const pgDir = process.argv[1];
const pids = new Map(); // pid -> start time when announced
let released = false;
let buffer = '';
function procStat(pid) {
  try {
    const text = readFileSync('/proc/' + pid + '/stat', 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
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
  const stat = procStat(pid);
  return stat === undefined || (stat[0] !== 'Z' && stat[0] !== 'X');
}
function isOurPostmaster(pid, started) {
  if (!alive(pid) || procStat(pid)?.[19] !== started) return false;
  let argv;
  try {
    argv = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0');
  } catch {
    return true;
  }
  const d = argv.indexOf('-D');
  return /postgres/.test(argv[0] || '') && d >= 0 && argv[d + 1] === pgDir;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function stopAll() {
  if (released) process.exit(0);
  for (const [pid, started] of pids) {
    if (!isOurPostmaster(pid, started)) continue;
    for (const [signal, waitMs] of [['SIGINT', 30000], ['SIGQUIT', 5000], ['SIGKILL', 5000]]) {
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
    if (m) pids.set(Number(m[1]), procStat(Number(m[1]))?.[19]);
    else if (line === 'release') released = true;
  }
});
process.stdin.on('end', () => void stopAll());
process.stdin.on('error', () => void stopAll());
`;
