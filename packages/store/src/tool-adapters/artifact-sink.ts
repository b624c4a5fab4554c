import type pg from 'pg';
import { sql } from 'kysely';
import type { ArtifactInput, ArtifactSink, PersistedArtifact } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';

const COLUMNS = ['id', 'run_id', 'node_run_id', 'kind', 'name', 'version', 'media_type', 'content', 'uri', 'created_at'] as const;

/** A persisted artifact row in the contracts `artifact` shape (`content` or `uri`, exactly one). */
export function toArtifact(row: Record<string, unknown>): PersistedArtifact {
  return {
    id: row.id as string,
    run_id: row.run_id as string,
    node_run_id: (row.node_run_id as string | null) ?? null,
    kind: row.kind as string,
    name: row.name as string,
    version: row.version as number,
    media_type: row.media_type as string,
    ...(row.uri !== null && row.uri !== undefined ? { uri: row.uri as string } : { content: row.content ?? null }),
    created_at: row.created_at as string,
  };
}

const MAX_VERSION_RACES = 8;

/**
 * Artifacts on table `artifacts`: idempotent on the deterministic id, versioned per (run_id, kind, name). The version
 * is computed in the insert; two concurrent first writes of one (run, kind, name) collide on the unique version
 * index and the loser recomputes. (The `flowchart:node_artifact:persisted` event is published by the runtime's tool
 * gateway, which knows the node run, after `persist` resolves.)
 */
export class PgArtifactSink implements ArtifactSink {
  constructor(private readonly pool: pg.Pool) {}

  async persist(a: ArtifactInput): Promise<PersistedArtifact> {
    const hasUri = a.uri !== undefined;
    const db = kyselyOf(this.pool);
    for (let race = 0; ; race += 1) {
      try {
        // The version is computed in the insert: 1 + the versions of (run, kind, name) already stored.
        const row = await db.insertInto('artifacts')
          .columns(['id', 'run_id', 'node_run_id', 'kind', 'name', 'version', 'media_type', 'content', 'uri', 'idempotency_key', 'created_at'])
          .expression(db.selectNoFrom((eb) => [
            eb.val(a.id).as('id'), eb.val(a.run_id).as('run_id'), eb.val(a.node_run_id).as('node_run_id'), eb.val(a.kind).as('kind'), eb.val(a.name).as('name'),
            sql<number>`1 + ${eb.selectFrom('artifacts').select(eb.fn.countAll().as('n')).where('run_id', '=', a.run_id).where('kind', '=', a.kind).where('name', '=', a.name)}`.as('version'),
            eb.val(a.media_type).as('media_type'), sql<string | null>`${hasUri ? null : JSON.stringify(a.content ?? null)}::jsonb`.as('content'),
            eb.val(hasUri ? a.uri ?? null : null).as('uri'), eb.val(a.idempotency_key).as('idempotency_key'), sql<string>`clock_timestamp()`.as('created_at'),
          ]))
          .onConflict((oc) => oc.column('id').doNothing())
          .returning(COLUMNS).executeTakeFirst();
        if (row) return toArtifact(row);
        const existing = await this.get(a.id);
        if (existing) return existing;
        throw new Error(`artifact ${a.id} vanished while it was being persisted`);
      } catch (err) {
        const e = err as { code?: string; constraint?: string };
        if (e.code === '23505' && e.constraint === 'artifacts_version_uq' && race < MAX_VERSION_RACES) continue;
        throw err;
      }
    }
  }

  async list(filter: { run_id: string; node_run_id?: string }): Promise<PersistedArtifact[]> {
    const rows = await kyselyOf(this.pool).selectFrom('artifacts').select(COLUMNS).where('run_id', '=', filter.run_id)
      .$if(filter.node_run_id != null, (qb) => qb.where('node_run_id', '=', filter.node_run_id!)).orderBy('seq').execute();
    return rows.map(toArtifact);
  }

  /** One artifact by id, or null. */
  async get(id: string): Promise<PersistedArtifact | null> {
    const row = await kyselyOf(this.pool).selectFrom('artifacts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toArtifact(row) : null;
  }
}
