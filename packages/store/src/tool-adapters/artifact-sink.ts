import type pg from 'pg';
import type { ArtifactInput, ArtifactSink, PersistedArtifact } from '@llmctl/tools';

const COLUMNS = 'id, run_id, node_run_id, kind, name, version, media_type, content, uri, created_at';

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
    for (let race = 0; ; race += 1) {
      try {
        const r = await this.pool.query(
          `INSERT INTO artifacts (id, run_id, node_run_id, kind, name, version, media_type, content, uri, idempotency_key, created_at)
           SELECT $1, $2, $3, $4, $5, 1 + (SELECT count(*) FROM artifacts WHERE run_id = $2 AND kind = $4 AND name = $5),
             $6, $7::jsonb, $8, $9, clock_timestamp()
           ON CONFLICT (id) DO NOTHING
           RETURNING ${COLUMNS}`,
          [a.id, a.run_id, a.node_run_id, a.kind, a.name, a.media_type, hasUri ? null : JSON.stringify(a.content ?? null), hasUri ? a.uri : null, a.idempotency_key],
        );
        if (r.rows[0]) return toArtifact(r.rows[0]);
        const existing = await this.pool.query(`SELECT ${COLUMNS} FROM artifacts WHERE id = $1`, [a.id]);
        if (existing.rows[0]) return toArtifact(existing.rows[0]);
        throw new Error(`artifact ${a.id} vanished while it was being persisted`);
      } catch (err) {
        const e = err as { code?: string; constraint?: string };
        if (e.code === '23505' && e.constraint === 'artifacts_version_uq' && race < MAX_VERSION_RACES) continue;
        throw err;
      }
    }
  }

  async list(filter: { run_id: string; node_run_id?: string }): Promise<PersistedArtifact[]> {
    const r = await this.pool.query(
      `SELECT ${COLUMNS} FROM artifacts WHERE run_id = $1 AND ($2::text IS NULL OR node_run_id = $2) ORDER BY seq`,
      [filter.run_id, filter.node_run_id ?? null],
    );
    return r.rows.map(toArtifact);
  }

  /** One artifact by id, or null. */
  async get(id: string): Promise<PersistedArtifact | null> {
    const r = await this.pool.query(`SELECT ${COLUMNS} FROM artifacts WHERE id = $1`, [id]);
    return r.rows[0] ? toArtifact(r.rows[0]) : null;
  }
}
