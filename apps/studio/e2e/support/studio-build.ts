/**
 * Makes sure apps/studio/dist is a build of the current sources: rebuilds (`npm run build -w @llmctl/studio`) when
 * dist/index.html is missing or older than any source file. Test processes run in parallel, so the check and the
 * build happen under a lock directory in the OS temp dir; a waiting process re-checks after the lock is released.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/studio (absolute). */
export const STUDIO_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** apps/studio/dist (absolute): what the server serves at `/`. */
export const STUDIO_DIST = join(STUDIO_DIR, 'dist');
const REPO_ROOT = join(STUDIO_DIR, '..', '..');
const LOCK = join(tmpdir(), 'llmctl-studio-build.lock');
const STALE_LOCK_MS = 120_000;

async function mtime(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

async function newestUnder(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const t = e.isDirectory() ? await newestUnder(p) : ((await mtime(p)) ?? 0);
    if (t > newest) newest = t;
  }
  return newest;
}

/** Whether dist is missing or older than src/, index.html, vite.config.ts or package.json. */
export async function studioBuildIsStale(): Promise<boolean> {
  const built = await mtime(join(STUDIO_DIST, 'index.html'));
  if (built === null) return true;
  const inputs = await Promise.all([
    newestUnder(join(STUDIO_DIR, 'src')),
    mtime(join(STUDIO_DIR, 'index.html')),
    mtime(join(STUDIO_DIR, 'vite.config.ts')),
    mtime(join(STUDIO_DIR, 'package.json')),
  ]);
  return inputs.some((t) => t !== null && t > built);
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    // --emptyOutDir=false: servers of other test processes keep serving dist while it is rebuilt (an emptied dist
    // answered their page loads with 404 for the length of the build); old hashed chunks stay until a clean build.
    const child = spawn('npm', ['run', 'build', '-w', '@llmctl/studio', '--', '--emptyOutDir=false'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`studio build failed (${code}):\n${out}`))));
  });
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const t = await mtime(LOCK);
      if (t !== null && Date.now() - t > STALE_LOCK_MS) await rmdir(LOCK).catch(() => undefined);
      // Waiting for another process's build (not a correctness timing: the lock directory is the signal).
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Builds the studio when its dist is missing or stale; resolves to the dist path. */
export async function ensureStudioBuild(): Promise<string> {
  if (!(await studioBuildIsStale())) return STUDIO_DIST;
  await acquireLock();
  try {
    if (await studioBuildIsStale()) await runBuild();
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
  return STUDIO_DIST;
}
