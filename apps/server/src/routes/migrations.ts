import { LlmctlError } from '@llmctl/contracts';
import { canonicalHash } from '@llmctl/migrate';
import { MigrationRepository } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { cutoverChecklist, rehearse } from './cutover.ts';
import { importRequestOf, runImport } from './migration-import.ts';
import { queryOf, requireId, requireObjectBody } from './params.ts';

type IdParams = { Params: { id: string } };

/**
 * Legacy llmctl migration (migration.md "Surfaces", docs/migration/runbook.md): import (dry run or apply), stored
 * reports, rollback, the cutover checklist and the rehearsal. Installed after the runtime (rehearsals start runs).
 */
export const migrationRoutes: RouteInstaller = async (app, ctx) => {
  const repo = new MigrationRepository(ctx.db.pool);

  app.post('/api/migrations/flowcharts', async (req, reply) => ok(reply, await runImport(ctx, importRequestOf(requireObjectBody(req.body)))));

  app.get('/api/migrations', async (req, reply) => {
    const list = await repo.list(queryOf(req.query));
    return ok(reply, list.items, { ...list.page });
  });

  app.get('/api/migrations/cutover', async (_req, reply) => ok(reply, await cutoverChecklist(ctx)));

  app.post('/api/migrations/cutover/rehearse', async (req, reply) => {
    const b = req.body === undefined ? {} : requireObjectBody(req.body); // timeout_s: 1..600 (body schema)
    const t = (b.timeout_s as number | undefined) ?? 120;
    return ok(reply, await rehearse(ctx, app.orchestrator, { input: b.input ?? {}, timeout_s: t, request_id: req.id, correlation_id: req.correlationId }));
  });

  app.get<IdParams>('/api/migrations/:id', async (req, reply) => {
    const r = await repo.get(requireId('mig', req.params.id, 'migration report'));
    if (!r) throw new LlmctlError('not_found', `No migration report ${req.params.id}.`, { id: req.params.id });
    return ok(reply, r);
  });

  app.post<IdParams>('/api/migrations/:id/rollback', async (req, reply) => {
    const id = requireId('mig', req.params.id, 'migration report');
    const r = await repo.get(id);
    if (!r) throw new LlmctlError('not_found', `No migration report ${id}.`, { id });
    const done = await repo.rollback(id);
    ctx.emit({
      event_type: 'flowchart:definition:updated', flowchart_id: done.flowchart_id, idempotency_key: `flowchart:${done.flowchart_id}:rollback:${id}`,
      request_id: req.id, correlation_id: req.correlationId, payload: { action: done.action === 'deleted' ? 'deleted' : 'updated', id: done.flowchart_id, version: done.version },
    });
    return ok(reply, {
      report_id: id, action: done.action, flowchart_id: done.flowchart_id, version: done.version,
      hash: done.document ? canonicalHash(done.document) : null, pre_migration_hash: r.report.rollback.pre_migration_hash,
    });
  });
};
