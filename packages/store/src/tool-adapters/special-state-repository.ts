import type pg from 'pg';
import type { MemoryRecord, MilestoneRecord, PersistedArtifact, PlanRecord, RagCollection, RagDocument } from '@llmctl/tools';
import type { ListParams, ListResult } from '../list-params.ts';
import { likeSubstring, offsetOf } from '../list-params.ts';
import { toArtifact } from './artifact-sink.ts';
import { toMemory } from './memory-store.ts';
import { toMilestone } from './milestone-store.ts';
import { toPlan } from './plan-store.ts';
import { toRagDocument } from './rag-store.ts';

/** Sort fields of the special-state lists. */
export const MEMORY_SORTS = ['created_at'] as const;
export const PLAN_SORTS = ['updated_at', 'plan_key'] as const;
export const MILESTONE_SORTS = ['updated_at', 'milestone_key', 'title'] as const;
export const ARTIFACT_SORTS = ['created_at', 'name', 'kind'] as const;
export const RAG_COLLECTION_SORTS = ['name', 'created_at'] as const;

/** Filters of the special-state lists (every given field must match). */
export interface SpecialStateFilter {
  flowchart_id?: string;
  run_id?: string;
  /** Memories only: `global` or `flowchart:<id>`. */
  scope?: string;
  /** Artifacts only. */
  node_run_id?: string;
  kind?: string;
}

interface Query {
  table: string;
  columns: string;
  where: string[];
  args: unknown[];
  /** Column of the `q` substring match. */
  qColumns: string[];
  /** SQL of each sort field (ties broken by `tie`). */
  sortSql: Record<string, string>;
  tie: string;
}

/** A page of a filtered, sorted list. */
async function page<T>(pool: pg.Pool, q: Query, p: ListParams, map: (row: Record<string, unknown>) => T): Promise<ListResult<T>> {
  const where = [...q.where];
  const args = [...q.args];
  if (p.q) {
    args.push(likeSubstring(p.q));
    where.push(`(${q.qColumns.map((c) => `lower(${c}) LIKE $${args.length}`).join(' OR ')})`);
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const dir = p.order === 'asc' ? 'ASC' : 'DESC';
  const total = await pool.query(`SELECT count(*)::int AS n FROM ${q.table} ${w}`, args);
  const rows = await pool.query(
    `SELECT ${q.columns} FROM ${q.table} ${w} ORDER BY ${q.sortSql[p.sort] ?? q.tie} ${dir}, ${q.tie} ${dir} LIMIT ${p.per_page} OFFSET ${offsetOf(p)}`,
    args,
  );
  return { items: rows.rows.map(map), page: { page: p.page, per_page: p.per_page, total: (total.rows[0] as { n: number }).n } };
}

function filters(f: SpecialStateFilter, allowed: (keyof SpecialStateFilter)[]): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  for (const k of allowed) {
    const v = f[k];
    if (v === undefined) continue;
    args.push(v);
    where.push(`${k} = $${args.length}`);
  }
  return { where, args };
}

/**
 * Read side of special-node state for the API (`GET /api/memories`, `/api/plans`, `/api/milestones`, run artifacts,
 * RAG collections and documents): filtered, sorted, paged like the other lists.
 */
export class SpecialStateRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Memories (filters: flowchart_id, run_id, scope; `q` matches the text). */
  listMemories(f: SpecialStateFilter, p: ListParams): Promise<ListResult<MemoryRecord>> {
    return page(this.pool, {
      table: 'memories', columns: 'id, scope, text, flowchart_id, run_id, node_run_id, created_at',
      ...filters(f, ['flowchart_id', 'run_id', 'scope']), qColumns: ['text'], sortSql: { created_at: 'seq' }, tie: 'seq',
    }, p, toMemory);
  }

  /** Plans (filters: flowchart_id, run_id; `q` matches the plan key). */
  listPlans(f: SpecialStateFilter, p: ListParams): Promise<ListResult<PlanRecord>> {
    return page(this.pool, {
      table: 'plans', columns: 'run_id, plan_key, flowchart_id, items, status, updated_at',
      ...filters(f, ['flowchart_id', 'run_id']), qColumns: ['plan_key'], sortSql: { updated_at: 'seq', plan_key: 'plan_key' }, tie: 'seq',
    }, p, toPlan);
  }

  /** Milestones (filters: flowchart_id, run_id; `q` matches the key or the title). */
  listMilestones(f: SpecialStateFilter, p: ListParams): Promise<ListResult<MilestoneRecord>> {
    return page(this.pool, {
      table: 'milestones', columns: 'run_id, milestone_key, flowchart_id, title, status, updated_at',
      ...filters(f, ['flowchart_id', 'run_id']), qColumns: ['milestone_key', 'title'],
      sortSql: { updated_at: 'seq', milestone_key: 'milestone_key', title: 'title' }, tie: 'seq',
    }, p, toMilestone);
  }

  /** Artifacts of a run (filters: node_run_id, kind; `q` matches the name). */
  listArtifacts(run_id: string, f: SpecialStateFilter, p: ListParams): Promise<ListResult<PersistedArtifact>> {
    const base = filters({ ...f, run_id }, ['run_id', 'node_run_id', 'kind']);
    return page(this.pool, {
      table: 'artifacts', columns: 'id, run_id, node_run_id, kind, name, version, media_type, content, uri, created_at',
      ...base, qColumns: ['name'], sortSql: { created_at: 'seq', name: 'name', kind: 'kind' }, tie: 'seq',
    }, p, toArtifact);
  }

  /** One artifact, or null. */
  async getArtifact(id: string): Promise<PersistedArtifact | null> {
    const r = await this.pool.query(`SELECT id, run_id, node_run_id, kind, name, version, media_type, content, uri, created_at FROM artifacts WHERE id = $1`, [id]);
    return r.rows[0] ? toArtifact(r.rows[0]) : null;
  }

  /** RAG collections with their document and chunk counts (`q` matches the name). */
  listRagCollections(p: ListParams): Promise<ListResult<RagCollection & { document_count: number; chunk_count: number }>> {
    return page(this.pool, {
      table: 'rag_collections c',
      columns: `c.id, c.name, c.description, c.created_at,
        (SELECT count(*)::int FROM rag_documents d WHERE d.collection_id = c.id) AS document_count,
        (SELECT count(*)::int FROM rag_chunks k WHERE k.collection_id = c.id) AS chunk_count`,
      where: [], args: [], qColumns: ['c.name'], sortSql: { name: 'c.name COLLATE "C"', created_at: 'c.created_at' }, tie: 'c.id',
    }, p, (row) => ({
      id: row.id as string, name: row.name as string, description: (row.description as string | null) ?? null, created_at: row.created_at as string,
      document_count: row.document_count as number, chunk_count: row.chunk_count as number,
    }));
  }

  /** Documents of a collection with their chunk counts, oldest first. */
  async listRagDocuments(collection_id: string): Promise<(RagDocument & { chunk_count: number })[]> {
    const r = await this.pool.query(
      `SELECT d.id, d.collection_id, d.name, d.media_type, d.created_at,
         (SELECT count(*)::int FROM rag_chunks k WHERE k.document_id = d.id) AS chunk_count
       FROM rag_documents d WHERE d.collection_id = $1 ORDER BY d.created_at, d.id`,
      [collection_id],
    );
    return r.rows.map((row: Record<string, unknown>) => ({ ...toRagDocument(row), chunk_count: row.chunk_count as number }));
  }
}
