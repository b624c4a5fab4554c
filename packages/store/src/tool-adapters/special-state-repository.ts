import type pg from 'pg';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { MemoryRecord, MilestoneRecord, PersistedArtifact, PlanRecord, RagCollection, RagDocument } from '@llmctl/tools';
import type { ListParams, ListResult } from '../list-params.ts';
import { likeSubstring, offsetOf } from '../list-params.ts';
import { kyselyOf, type StoreDb } from '../db/kysely.ts';
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

/** `q` as a case-insensitive literal substring of any of `columns` (no filter without `q`). */
function matchesQ(columns: readonly string[], q: string | undefined): RawBuilder<SqlBool> {
  if (!q) return sql<SqlBool>`true`;
  const pattern = likeSubstring(q);
  return sql<SqlBool>`(${sql.join(columns.map((c) => sql`lower(${sql.ref(c)}) LIKE ${pattern}`), sql` OR `)})`;
}

/** The given filters of `allowed` as equalities (true without any). */
function filters(f: SpecialStateFilter, allowed: (keyof SpecialStateFilter)[]): RawBuilder<SqlBool> {
  const terms = allowed.filter((k) => f[k] !== undefined).map((k) => sql`${sql.ref(k)} = ${f[k]}`);
  return terms.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`${sql.join(terms, sql` AND `)}`;
}

/** A page from the total and the rows of one list. */
function paged<T>(p: ListParams, total: { n: number } | undefined, items: T[]): ListResult<T> {
  return { items, page: { page: p.page, per_page: p.per_page, total: total?.n ?? 0 } };
}

const count = sql<number>`count(*)`.as('n');

/**
 * Read side of special-node state for the API (`GET /api/memories`, `/api/plans`, `/api/milestones`, run artifacts,
 * RAG collections and documents): filtered, sorted, paged like the other lists.
 */
export class SpecialStateRepository {
  constructor(private readonly pool: pg.Pool) {}

  private get db(): StoreDb {
    return kyselyOf(this.pool);
  }

  /** Memories (filters: flowchart_id, run_id, scope; `q` matches the text). */
  async listMemories(f: SpecialStateFilter, p: ListParams): Promise<ListResult<MemoryRecord>> {
    const base = this.db.selectFrom('memories')
      .where(filters(f, ['flowchart_id', 'run_id', 'scope'])).where(matchesQ(['text'], p.q));
    const [total, rows] = await Promise.all([
      base.select(count).executeTakeFirst(),
      base.select(['id', 'scope', 'text', 'flowchart_id', 'run_id', 'node_run_id', 'created_at'])
        .orderBy('seq', p.order).orderBy('seq', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
    ]);
    return paged(p, total, rows.map(toMemory));
  }

  /** Plans (filters: flowchart_id, run_id; `q` matches the plan key). */
  async listPlans(f: SpecialStateFilter, p: ListParams): Promise<ListResult<PlanRecord>> {
    const base = this.db.selectFrom('plans').where(filters(f, ['flowchart_id', 'run_id'])).where(matchesQ(['plan_key'], p.q));
    const [total, rows] = await Promise.all([
      base.select(count).executeTakeFirst(),
      base.select(['run_id', 'plan_key', 'flowchart_id', 'items', 'status', 'updated_at'])
        .orderBy(p.sort === 'plan_key' ? 'plan_key' : 'seq', p.order).orderBy('seq', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
    ]);
    return paged(p, total, rows.map(toPlan));
  }

  /** Milestones (filters: flowchart_id, run_id; `q` matches the key or the title). */
  async listMilestones(f: SpecialStateFilter, p: ListParams): Promise<ListResult<MilestoneRecord>> {
    const base = this.db.selectFrom('milestones')
      .where(filters(f, ['flowchart_id', 'run_id'])).where(matchesQ(['milestone_key', 'title'], p.q));
    const sort = p.sort === 'milestone_key' || p.sort === 'title' ? p.sort : 'seq';
    const [total, rows] = await Promise.all([
      base.select(count).executeTakeFirst(),
      base.select(['run_id', 'milestone_key', 'flowchart_id', 'title', 'status', 'updated_at'])
        .orderBy(sort, p.order).orderBy('seq', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
    ]);
    return paged(p, total, rows.map(toMilestone));
  }

  /** Artifacts of a run (filters: node_run_id, kind; `q` matches the name). */
  async listArtifacts(run_id: string, f: SpecialStateFilter, p: ListParams): Promise<ListResult<PersistedArtifact>> {
    const base = this.db.selectFrom('artifacts')
      .where(filters({ ...f, run_id }, ['run_id', 'node_run_id', 'kind'])).where(matchesQ(['name'], p.q));
    const sort = p.sort === 'name' || p.sort === 'kind' ? p.sort : 'seq';
    const [total, rows] = await Promise.all([
      base.select(count).executeTakeFirst(),
      base.select(['id', 'run_id', 'node_run_id', 'kind', 'name', 'version', 'media_type', 'content', 'uri', 'created_at'])
        .orderBy(sort, p.order).orderBy('seq', p.order).limit(p.per_page).offset(offsetOf(p)).execute(),
    ]);
    return paged(p, total, rows.map(toArtifact));
  }

  /** One artifact, or null. */
  async getArtifact(id: string): Promise<PersistedArtifact | null> {
    const row = await this.db.selectFrom('artifacts')
      .select(['id', 'run_id', 'node_run_id', 'kind', 'name', 'version', 'media_type', 'content', 'uri', 'created_at']).where('id', '=', id).executeTakeFirst();
    return row ? toArtifact(row) : null;
  }

  /** RAG collections with their document and chunk counts (`q` matches the name). */
  async listRagCollections(p: ListParams): Promise<ListResult<RagCollection & { document_count: number; chunk_count: number }>> {
    const base = this.db.selectFrom('rag_collections as c').where(matchesQ(['c.name'], p.q));
    const [total, rows] = await Promise.all([
      base.select(count).executeTakeFirst(),
      base.select((eb) => ['c.id', 'c.name', 'c.description', 'c.created_at',
        eb.selectFrom('rag_documents as d').select(eb.fn.countAll<number>().as('n')).whereRef('d.collection_id', '=', 'c.id').$asScalar().as('document_count'),
        eb.selectFrom('rag_chunks as k').select(eb.fn.countAll<number>().as('n')).whereRef('k.collection_id', '=', 'c.id').$asScalar().as('chunk_count')])
        .orderBy(p.sort === 'created_at' ? sql`c.created_at` : sql`c.name COLLATE "C"`, p.order).orderBy('c.id', p.order)
        .limit(p.per_page).offset(offsetOf(p)).execute(),
    ]);
    return paged(p, total, rows);
  }

  /** Documents of a collection with their chunk counts, oldest first. */
  async listRagDocuments(collection_id: string): Promise<(RagDocument & { chunk_count: number })[]> {
    const rows = await this.db.selectFrom('rag_documents as d')
      .select((eb) => ['d.id', 'd.collection_id', 'd.name', 'd.media_type', 'd.created_at',
        eb.selectFrom('rag_chunks as k').select(eb.fn.countAll<number>().as('n')).whereRef('k.document_id', '=', 'd.id').$asScalar().as('chunk_count')])
      .where('d.collection_id', '=', collection_id).orderBy('d.created_at').orderBy('d.id').execute();
    return rows.map((row) => ({ ...toRagDocument(row), chunk_count: row.chunk_count }));
  }
}
