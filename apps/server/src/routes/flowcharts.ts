import { LlmctlError, type FlowchartDocument } from '@llmctl/contracts';
import type { Flowchart } from '@llmctl/store';
import type { AppContext, RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { validateDocument } from '../flowchart-validation.ts';
import { queryOf, requireId } from './params.ts';

type IdParams = { Params: { id: string } };

/** The document of a request body: the document itself, or `{ document: {...} }`. */
function documentOf(body: unknown): unknown {
  if (body === undefined) {
    throw new LlmctlError('validation_failed', 'A flowchart document (JSON object) is required.', { errors: [{ path: '', message: 'required' }] });
  }
  const b = body as Record<string, unknown> | null;
  if (b && typeof b === 'object' && !Array.isArray(b) && !('schema_version' in b) && b.document && typeof b.document === 'object') {
    return b.document;
  }
  return body;
}

async function validOrThrow(ctx: AppContext, doc: unknown, flowchartId?: string) {
  const result = await validateDocument(ctx.repos, doc, flowchartId);
  if (!result.valid) {
    throw new LlmctlError('flowchart_invalid', `The flowchart has ${result.errors.length} error(s): ${result.errors.slice(0, 3).map((e) => e.message).join('; ')}`,
      { errors: result.errors, warnings: result.warnings });
  }
  return result;
}

function changed(ctx: AppContext, req: { id: string; correlationId: string }, f: Flowchart | { id: string; deleted: true }, action: string): void {
  const stamp = 'updated_at' in f ? f.updated_at : new Date().toISOString();
  ctx.emit({
    event_type: 'flowchart:definition:updated', flowchart_id: f.id, idempotency_key: `flowchart:${f.id}:${stamp}`,
    request_id: req.id, correlation_id: req.correlationId,
    payload: { action, id: f.id, ...('version' in f ? { version: f.version, name: f.name } : {}) },
  });
}

/** Flowchart CRUD, versions and save-time validation (api.md). */
export const flowchartRoutes: RouteInstaller = async (app, ctx) => {
  app.post('/api/flowcharts/validate', async (req, reply) => {
    const result = await validateDocument(ctx.repos, documentOf(req.body));
    return ok(reply, result);
  });

  app.get('/api/flowcharts', async (req, reply) => {
    const list = await ctx.repos.flowcharts.list(queryOf(req.query));
    return ok(reply, list.items, { ...list.page });
  });

  app.post('/api/flowcharts', async (req, reply) => {
    const doc = documentOf(req.body);
    const result = await validOrThrow(ctx, doc);
    const f = await ctx.repos.flowcharts.create({ document: doc as FlowchartDocument, warnings: result.warnings });
    changed(ctx, req, f, 'created');
    return ok(reply, f, undefined, 201);
  });

  app.get<IdParams>('/api/flowcharts/:id', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    const v = queryOf(req.query).version; // a positive integer (query schema); empty means latest
    const version = v === undefined || v === '' ? undefined : Number(v);
    return ok(reply, await ctx.repos.flowcharts.get(id, version));
  });

  app.put<IdParams>('/api/flowcharts/:id', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    const doc = documentOf(req.body);
    await ctx.repos.flowcharts.get(id);
    const result = await validOrThrow(ctx, doc, id);
    const f = await ctx.repos.flowcharts.saveVersion(id, { document: doc as FlowchartDocument, warnings: result.warnings });
    changed(ctx, req, f, 'updated');
    return ok(reply, f);
  });

  app.delete<IdParams>('/api/flowcharts/:id', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    await ctx.repos.flowcharts.delete(id);
    changed(ctx, req, { id, deleted: true }, 'deleted');
    return ok(reply, { id, deleted: true });
  });

  // Server-side drafts: a working copy that may be invalid, kept apart from the numbered versions and never run.
  app.get<IdParams>('/api/flowcharts/:id/draft', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    const draft = await ctx.repos.flowcharts.getDraft(id);
    return ok(reply, { ...draft, validation: await validateDocument(ctx.repos, draft.document, id) });
  });

  app.put<IdParams>('/api/flowcharts/:id/draft', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    const doc = documentOf(req.body);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new LlmctlError('validation_failed', 'A draft is a JSON object (a flowchart document, valid or not).', { errors: [{ path: '', message: 'must be an object' }] });
    }
    const draft = await ctx.repos.flowcharts.saveDraft(id, doc);
    return ok(reply, { ...draft, validation: await validateDocument(ctx.repos, doc, id) });
  });

  app.delete<IdParams>('/api/flowcharts/:id/draft', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    await ctx.repos.flowcharts.get(id);
    return ok(reply, { id, deleted: await ctx.repos.flowcharts.deleteDraft(id) });
  });

  app.get<IdParams>('/api/flowcharts/:id/versions', async (req, reply) => {
    const id = requireId('fc', req.params.id, 'flowchart');
    const list = await ctx.repos.flowcharts.listVersions(id, queryOf(req.query));
    return ok(reply, list.items, { ...list.page });
  });
};
