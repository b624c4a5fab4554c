import type { WorkerView } from '@llmctl/contracts';
import { listWorkers, queueStats } from '@llmctl/executors';
import type { ExecutorStatus, RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';

/**
 * `GET /api/workers`: queue workers seen in the last hour, `{ id, name, host, pid, classes, concurrency, active,
 * started_at, heartbeat_at, status: live | draining | lost }` (executors.md "Queue backend").
 */
export const workerRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/workers', async (_req, reply) => {
    const workers: WorkerView[] = await listWorkers(ctx.db.pool); // the contract's shape (api-workers.ts)
    return ok(reply, workers);
  });
};

/** `/api/health` executor report: the configured backend plus queue depth, attempts on workers and live workers. */
export async function executorHealth(pool: Parameters<typeof queueStats>[0], backend: string): Promise<ExecutorStatus> {
  const queue = await queueStats(pool);
  if (backend === 'inline') return { backend, ok: true, detail: 'node work runs inside the server process', queue };
  if (backend === 'queue') {
    return queue.live_workers > 0
      ? { backend, ok: true, detail: `${queue.live_workers} live worker(s)`, queue }
      : { backend, ok: false, detail: 'no live worker: attempts wait in the queue until `llmctl worker` starts', queue };
  }
  return { backend, ok: null, detail: 'Kubernetes Jobs are created per attempt', queue };
}
