import { isRunEndStatus } from '@llmctl/contracts';
import { readTraceRows } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { buildTrace } from '../runtime/trace.ts';
import { ServerMetrics } from './metrics.ts';
import { otlpEnabled } from './otel-enabled.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServerMetrics;
  }
}


/** `GET /metrics` (Prometheus text) and, when OTEL_* asks for it, OTLP export of every finished run's trace. */
export const observabilityRoutes: RouteInstaller = async (app, ctx) => {
  const metrics = new ServerMetrics(ctx.db.pool, app.orchestrator.bus);
  app.decorate('metrics', metrics);
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.text();
  });
  // Structured logs of run activity: run status changes at info, node-run changes at debug, with their ids.
  const offLog = app.orchestrator.bus.onEvent((e) => {
    const p = e.payload as { kind: string; status?: string; node_id?: string; node_run_id?: string; error?: { code: string } | null };
    if (!ctx.logger.isLevelEnabled(p.kind === 'run.status' ? 'info' : 'debug')) return; // nothing built for a line not written
    const fields = { run_id: e.run_id, flowchart_id: e.flowchart_id, sequence: e.sequence, request_id: e.request_id, correlation_id: e.correlation_id, kind: p.kind };
    if (p.kind === 'run.status') ctx.logger.info({ ...fields, status: p.status, error_code: p.error?.code }, `run ${e.run_id} ${p.status}`);
    else if (p.kind.startsWith('node.')) ctx.logger.debug({ ...fields, node_id: p.node_id, node_run_id: p.node_run_id, error_code: p.error?.code }, `node ${p.node_id} ${p.kind.slice(5)}`);
  });
  app.addHook('onClose', async () => offLog());
  if (!otlpEnabled()) return;
  const { RunTraceExporter } = await import('./otel-export.ts');
  const exporter = new RunTraceExporter();
  const off = app.orchestrator.bus.onEvent((e) => {
    const p = e.payload as { kind: string; status?: string };
    if (p.kind !== 'run.status' || !p.status || !isRunEndStatus(p.status)) return;
    void readTraceRows(ctx.db.pool, e.run_id)
      .then((rows) => {
        const root = buildTrace(rows);
        if (root) exporter.export(root);
      })
      .catch((err: unknown) => ctx.logger.warn({ err, run_id: e.run_id }, 'trace export failed'));
  });
  app.addHook('onClose', async () => {
    off();
    await exporter.shutdown().catch(() => undefined);
  });
  ctx.logger.info({ endpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'default' }, 'OTLP trace export on');
};
