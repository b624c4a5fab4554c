import type { Model } from '@llmctl/store';
import type { AppContext, RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { parseModelCreate, parseModelUpdate } from './model-input.ts';
import { queryOf, requireId, requireObjectBody } from './params.ts';

type IdParams = { Params: { id: string } };

function changed(ctx: AppContext, req: { id: string; correlationId: string }, m: Model, action: 'created' | 'updated' | 'deleted'): void {
  const stamp = action === 'deleted' ? new Date().toISOString() : m.updated_at;
  ctx.emit({
    event_type: `config:model:${action}`, flowchart_id: null, idempotency_key: `model:${m.id}:${stamp}`,
    request_id: req.id, correlation_id: req.correlationId, payload: { model: m },
  });
}

/** Model registry CRUD (api.md). Scripted models carry `offline: true` and `label: "scripted (offline)"`. */
export const modelRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/models', async (req, reply) => {
    const list = await ctx.repos.models.list(queryOf(req.query));
    return ok(reply, list.items, { ...list.page });
  });

  app.post('/api/models', async (req, reply) => {
    const input = parseModelCreate(requireObjectBody(req.body));
    const m = await ctx.repos.models.create(input);
    changed(ctx, req, m, 'created');
    return ok(reply, m, undefined, 201);
  });

  app.get<IdParams>('/api/models/:id', async (req, reply) =>
    ok(reply, await ctx.repos.models.get(requireId('mdl', req.params.id, 'model'))));

  app.put<IdParams>('/api/models/:id', async (req, reply) => {
    const id = requireId('mdl', req.params.id, 'model');
    const body = requireObjectBody(req.body);
    const current = await ctx.repos.models.get(id);
    const m = await ctx.repos.models.update(id, parseModelUpdate(body, current));
    changed(ctx, req, m, 'updated');
    return ok(reply, m);
  });

  app.delete<IdParams>('/api/models/:id', async (req, reply) => {
    const m = await ctx.repos.models.delete(requireId('mdl', req.params.id, 'model'));
    changed(ctx, req, m, 'deleted');
    return ok(reply, { id: m.id, deleted: true });
  });
};
