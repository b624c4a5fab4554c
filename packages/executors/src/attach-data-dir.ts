import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LlmctlError } from '@llmctl/contracts';

/**
 * The connection URL of the embedded PostgreSQL that a `llmctl serve` runs from `dataDir` on this machine: the
 * password from `<dataDir>/pg-password`, the port from the running postmaster's `<dataDir>/pg/postmaster.pid`.
 */
export async function attachDataDir(dataDir: string, database = 'llmctl'): Promise<string> {
  const dir = resolve(dataDir);
  let password: string;
  let pidFile: string;
  try {
    password = (await readFile(join(dir, 'pg-password'), 'utf8')).trim();
    pidFile = await readFile(join(dir, 'pg', 'postmaster.pid'), 'utf8');
  } catch {
    throw new LlmctlError('validation_failed', `no running llmctl database in ${dir}: start \`llmctl serve --data-dir ${dataDir}\` first`, { data_dir: dir });
  }
  const lines = pidFile.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch (err) {
    alive = (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!alive || !Number.isInteger(port) || port <= 0) {
    throw new LlmctlError('validation_failed', `the database of ${dir} is not running: start \`llmctl serve --data-dir ${dataDir}\` first`, { data_dir: dir });
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}
