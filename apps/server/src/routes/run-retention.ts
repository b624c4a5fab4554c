import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RunRetention, type PruneResult, type RetentionPolicy, type RuntimeSettings } from '@llmctl/store';
import type { AppContext, RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { workspaceDirOf } from '../runtime/workspace-dir.ts';
import { requireId, requireObjectBody } from './params.ts';

/** How often the retention job runs (a pass deletes in batches until nothing is due). */
const RETENTION_INTERVAL_MS = 15 * 60_000;
/** Runs deleted per transaction: each batch holds its row locks only briefly. */
const BATCH = 100;

interface PruneRequest {
  policy?: RetentionPolicy;
  flowchartId?: string;
}

/** The prune body, its fields checked by the route's body schema (integers ≥ 0, no unknown field). */
function parsePrune(body: Record<string, unknown>): PruneRequest {
  const days = body.keep_finished_days as number | undefined;
  const last = body.keep_last_runs as number | undefined;
  const fc = body.flowchart_id === undefined ? undefined : requireId('fc', body.flowchart_id, 'flowchart');
  const out: PruneRequest = {};
  if (days !== undefined || last !== undefined) out.policy = { keep_finished_days: days ?? 0, keep_last_runs: last ?? 0 };
  if (fc !== undefined) out.flowchartId = fc;
  return out;
}

/**
 * Runs retention to completion: the per-flowchart policies for their flowcharts, then the global policy for every
 * other flowchart (or, with `req.policy`, that policy alone). Deleted runs' workspaces are removed too.
 */
export async function pruneRuns(ctx: Pick<AppContext, 'db' | 'config'>, settings: RuntimeSettings['retention'], req: PruneRequest = {}): Promise<string[]> {
  const retention = new RunRetention(ctx.db.pool);
  const root = join(ctx.config.dataDir, 'workspaces');
  const deleted: string[] = [];
  const drain = async (pass: () => Promise<PruneResult>): Promise<void> => {
    for (;;) {
      const r = await pass();
      deleted.push(...r.deleted);
      await Promise.all(r.deleted.map((id) => rm(workspaceDirOf(root, id), { recursive: true, force: true })));
      if (!r.more) return;
    }
  };
  if (req.policy) {
    const policy = req.policy;
    await drain(() => retention.pruneBatch(policy, { flowchartId: req.flowchartId, batchSize: BATCH }));
    return deleted;
  }
  const own = settings.flowcharts.filter((f) => req.flowchartId === undefined || f.flowchart_id === req.flowchartId);
  for (const f of own) await drain(() => retention.pruneBatch(f, { flowchartId: f.flowchart_id, batchSize: BATCH }));
  if (req.flowchartId === undefined || own.length === 0) {
    await drain(() => retention.pruneBatch(settings, { flowchartId: req.flowchartId, exclude: settings.flowcharts.map((f) => f.flowchart_id), batchSize: BATCH }));
  }
  return deleted;
}

/**
 * `DELETE /api/runs/:id` (a finished run with everything it owns; 409 while active), `POST /api/runs/prune`
 * (retention now: the configured policies, or the one in the body), and the background retention job.
 */
export const retentionRoutes: RouteInstaller = async (app, ctx) => {
  const retention = new RunRetention(ctx.db.pool);
  app.delete<{ Params: { id: string } }>('/api/runs/:id', async (req, reply) => {
    const id = requireId('run', req.params.id, 'run');
    await retention.deleteRun(id);
    await rm(workspaceDirOf(join(ctx.config.dataDir, 'workspaces'), id), { recursive: true, force: true });
    return ok(reply, { id, deleted: true });
  });
  app.post('/api/runs/prune', async (req, reply) => {
    const request = parsePrune(req.body === undefined ? {} : requireObjectBody(req.body));
    const settings = await ctx.repos.settings.getRuntime();
    const deleted = await pruneRuns(ctx, settings.retention, request);
    return ok(reply, { deleted_count: deleted.length, deleted_run_ids: deleted.slice(0, 1000) });
  });

  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const settings = await ctx.repos.settings.getRuntime();
      const deleted = await pruneRuns(ctx, settings.retention);
      if (deleted.length > 0) ctx.logger.info({ deleted: deleted.length }, 'retention: deleted finished runs');
    } catch (err) {
      ctx.logger.warn({ err: (err as Error).message }, 'retention pass failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), RETENTION_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
};
