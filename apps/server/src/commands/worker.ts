import { LlmctlError } from '@llmctl/contracts';
import { join, resolve } from 'node:path';
import { CredentialRepository, SecretBox, createRepositories, openDatabase, redactUrl } from '@llmctl/store';
import { EXECUTOR_CLASSES, LocalVllmServers, QueueWorker, attachDataDir, type ExecutorClass } from '@llmctl/executors';
import { loadMasterKey } from '../master-key.ts';
import { loadConfig } from '../config.ts';
import { composeRuntime } from '../runtime/compose-runtime.ts';
import type { CommandContext } from '../cli.ts';
import { installProcessGuards } from '../process-guards.ts';

function intFlag(v: unknown, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new LlmctlError('validation_failed', `--${name} must be an integer from ${min} to ${max}`, { errors: [{ path: name, message: `integer ${min}–${max}` }] });
  return n;
}

function classesOf(v: unknown): ExecutorClass[] {
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  for (const c of list) {
    if (!(EXECUTOR_CLASSES as readonly string[]).includes(c)) throw new LlmctlError('validation_failed', `--class must be one of: ${EXECUTOR_CLASSES.join(', ')}`, { errors: [{ path: 'class', message: c }] });
  }
  return list.length > 0 ? [...new Set(list)] as ExecutorClass[] : ['frontier'];
}

/**
 * `llmctl worker`: executes node attempts from the PostgreSQL queue (executors.md "Queue backend") and, as an
 * orchestrator without HTTP, takes over the runs of servers that died. Connects with DATABASE_URL, or with
 * `--data-dir DIR` to the embedded PostgreSQL of a `llmctl serve` running from DIR on this machine.
 */
export async function workerCommand({ out, flags }: CommandContext): Promise<number> {
  installProcessGuards({ error: (obj, msg) => out(`${msg}: ${JSON.stringify(obj)}`) });
  const config = loadConfig(process.env);
  const dataDirFlag = typeof flags['data-dir'] === 'string' ? flags['data-dir'] : undefined;
  const concurrency = intFlag(flags.concurrency, 'concurrency', 4, 1, 256);
  const drainS = intFlag(flags['drain-timeout-s'], 'drain-timeout-s', 60, 0, 86_400);
  const hbTimeoutS = intFlag(flags['heartbeat-timeout-s'] ?? process.env.LLMCTL_WORKER_HEARTBEAT_TIMEOUT_S, 'heartbeat-timeout-s', 30, 1, 3600);
  const classes = classesOf(flags.class);
  const name = typeof flags.name === 'string' && flags.name ? flags.name : undefined;
  const dataDir = dataDirFlag ? resolve(dataDirFlag) : config.dataDir;
  const databaseUrl = dataDirFlag ? await attachDataDir(dataDirFlag) : config.databaseUrl;
  if (!databaseUrl) {
    throw new LlmctlError('validation_failed', 'llmctl worker joins the database of a server: set DATABASE_URL, or pass --data-dir DIR of a `llmctl serve` running on this machine');
  }
  const db = await openDatabase({ databaseUrl });
  const settings = await createRepositories(db.pool).settings.getRuntime();
  // Same credentials (sealed under the same master key) and workspace root as `llmctl serve` on this data dir.
  const credentials = new CredentialRepository(db.pool, new SecretBox(await loadMasterKey(dataDir)));
  const pollMs = process.env.LLMCTL_EXECUTOR_POLL_MS ? Number(process.env.LLMCTL_EXECUTOR_POLL_MS) : undefined;
  // --class vllm: vllm_local models are served by vLLM started here (one server per model, stopped when the worker stops)
  const localVllm = classes.includes('vllm') ? new LocalVllmServers({ log: (line) => out(`[vllm] ${line}`) }) : null;
  const { orchestrator, inline, executor } = composeRuntime({
    pool: db.pool, defaults: settings.guardrails, credentials, allowedBaseUrls: config.allowedBaseUrls, workspaceRoot: join(dataDir, 'workspaces'),
    logError: (m, e) => out(`${m}: ${(e as Error)?.message ?? e}`), ...(pollMs ? { executors: { pollMs } } : {}),
    ...(localVllm ? { localVllm } : {}),
  });
  const worker = new QueueWorker({
    pool: db.pool, executor: inline, graphFor: (id, v) => orchestrator.graphFor(id, v), concurrency, classes, heartbeatTimeoutS: hbTimeoutS,
    ...(name ? { name } : {}), ...(pollMs ? { pollMs } : {}), log: out,
  });
  await orchestrator.start();
  await worker.start();
  out(`llmctl worker ${worker.name} (${worker.id}) on ${redactUrl(db.url)}: classes ${classes.join(',')}, concurrency ${concurrency}; SIGTERM drains`);
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      out(`${signal}: draining (up to ${drainS} s)…`);
      void (async () => {
        const r = await worker.drain(drainS * 1000);
        out(`drained: ${r.finished} attempt(s) finished, ${r.handed_back} handed back`);
        await orchestrator.stop();
        await executor.stop();
        await localVllm?.stopAll();
        await db.close();
      })().then(() => done(0), (e) => {
        out(`stop failed: ${(e as Error).message}`);
        done(1);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
