import { LlmctlError } from '@llmctl/contracts';
import {
  ARTIFACT_SORTS, MEMORY_SORTS, MILESTONE_SORTS, PLAN_SORTS, RunLookups, SpecialStateRepository, parseListParams, type SpecialStateFilter,
} from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { queryOf, requireId } from './params.ts';

type IdParams = { Params: { id: string } };

/** Optional string filters of a list query (their route query schema allows each once, at most 200 characters). */
export function stringFilters<K extends keyof SpecialStateFilter>(query: Record<string, unknown>, names: readonly K[]): Pick<SpecialStateFilter, K> {
  const out: Partial<SpecialStateFilter> = {};
  for (const name of names) {
    const v = query[name];
    if (typeof v === 'string' && v !== '') out[name] = v;
  }
  return out as Pick<SpecialStateFilter, K>;
}

/**
 * Special-node state and artifacts (api.md): `GET /api/memories`, `/api/plans`, `/api/milestones` (filters
 * `flowchart_id`, `run_id`; memories also `scope`), `GET /api/runs/:id/artifacts` (filters `node_run_id`, `kind`) and
 * `GET /api/artifacts/:id`. Lists take `q`, `sort`, `order`, `page`, `per_page` like the other lists.
 */
export const specialStateRoutes: RouteInstaller = async (app, ctx) => {
  const repo = new SpecialStateRepository(ctx.db.pool);
  const lookups = new RunLookups(ctx.db.pool);

  app.get('/api/memories', async (req, reply) => {
    const q = queryOf(req.query);
    const filter = stringFilters(q, ['flowchart_id', 'run_id', 'scope'] as const);
    const list = await repo.listMemories(filter, parseListParams(q, { sorts: MEMORY_SORTS, defaultSort: 'created_at', defaultOrder: 'desc' }));
    return ok(reply, list.items, { ...list.page });
  });

  app.get('/api/plans', async (req, reply) => {
    const q = queryOf(req.query);
    const filter = stringFilters(q, ['flowchart_id', 'run_id'] as const);
    const params = parseListParams(q, { sorts: PLAN_SORTS, defaultSort: 'updated_at', defaultOrder: { '*': 'desc', plan_key: 'asc' } });
    const list = await repo.listPlans(filter, params);
    return ok(reply, list.items, { ...list.page });
  });

  app.get('/api/milestones', async (req, reply) => {
    const q = queryOf(req.query);
    const filter = stringFilters(q, ['flowchart_id', 'run_id'] as const);
    const params = parseListParams(q, { sorts: MILESTONE_SORTS, defaultSort: 'updated_at', defaultOrder: { '*': 'asc', updated_at: 'desc' } });
    const list = await repo.listMilestones(filter, params);
    return ok(reply, list.items, { ...list.page });
  });

  app.get<IdParams>('/api/runs/:id/artifacts', async (req, reply) => {
    const id = requireId('run', req.params.id, 'run');
    if (!(await lookups.runExists(id))) throw new LlmctlError('not_found', `run ${id} not found`, { run_id: id });
    const q = queryOf(req.query);
    const filter = stringFilters(q, ['node_run_id', 'kind'] as const);
    const params = parseListParams(q, { sorts: ARTIFACT_SORTS, defaultSort: 'created_at', defaultOrder: 'asc' });
    const list = await repo.listArtifacts(id, filter, params);
    return ok(reply, list.items, { ...list.page });
  });

  app.get<IdParams>('/api/artifacts/:id', async (req, reply) => {
    const id = req.params.id;
    const artifact = id.length > 0 && id.length <= 1000 ? await repo.getArtifact(id) : null;
    if (!artifact) throw new LlmctlError('not_found', `No artifact ${id.slice(0, 140)}.`, { id: id.slice(0, 140) });
    return ok(reply, artifact);
  });
};
