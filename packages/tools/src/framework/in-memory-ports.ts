/** In-memory adapters of the framework ports (tests, demos, the embedded default before PostgreSQL adapters). */
import type {
  ArtifactInput,
  ArtifactSink,
  AuditSink,
  PersistedArtifact,
  ToolAuditRecord,
  ToolCallFinish,
  ToolCallRecord,
  ToolCallStart,
  ToolLedger,
} from './ports.ts';

/** In-memory `ToolLedger`; values are cloned in and out, as a database would. */
export class InMemoryToolLedger implements ToolLedger {
  readonly #entries = new Map<string, ToolCallRecord>();

  async get(idempotency_key: string): Promise<ToolCallRecord | null> {
    const e = this.#entries.get(idempotency_key);
    return e ? structuredClone(e) : null;
  }

  async start(entry: ToolCallStart): Promise<ToolCallRecord> {
    const existing = this.#entries.get(entry.idempotency_key);
    if (existing?.status === 'succeeded') return structuredClone(existing);
    const record: ToolCallRecord = {
      ...structuredClone(entry),
      result: null,
      status: 'started',
      attempts: 0,
      started_at: new Date().toISOString(),
      finished_at: null,
    };
    this.#entries.set(entry.idempotency_key, record);
    return structuredClone(record);
  }

  async finish(idempotency_key: string, outcome: ToolCallFinish): Promise<ToolCallRecord> {
    const existing = this.#entries.get(idempotency_key);
    if (!existing) throw new Error(`No tool call recorded under "${idempotency_key}"`);
    const record: ToolCallRecord = {
      ...existing,
      status: outcome.status,
      result: structuredClone(outcome.result),
      attempts: outcome.attempts,
      finished_at: new Date().toISOString(),
    };
    this.#entries.set(idempotency_key, record);
    return structuredClone(record);
  }
}

/** In-memory `ArtifactSink`. `persisted` lists every newly stored artifact (not the idempotent repeats). */
export class InMemoryArtifactSink implements ArtifactSink {
  readonly #byId = new Map<string, PersistedArtifact>();
  /** Newly persisted artifacts, in order (tests inspect it; the runtime's adapter would emit events instead). */
  readonly persisted: PersistedArtifact[] = [];

  async persist(artifact: ArtifactInput): Promise<PersistedArtifact> {
    const existing = this.#byId.get(artifact.id);
    if (existing) return structuredClone(existing);
    let version = 1;
    for (const a of this.#byId.values()) {
      if (a.run_id === artifact.run_id && a.kind === artifact.kind && a.name === artifact.name) version += 1;
    }
    const stored: PersistedArtifact = {
      id: artifact.id,
      run_id: artifact.run_id,
      node_run_id: artifact.node_run_id,
      kind: artifact.kind,
      name: artifact.name,
      version,
      media_type: artifact.media_type,
      ...(artifact.uri !== undefined ? { uri: artifact.uri } : { content: structuredClone(artifact.content ?? null) }),
      created_at: new Date().toISOString(),
    };
    this.#byId.set(stored.id, stored);
    this.persisted.push(structuredClone(stored));
    return structuredClone(stored);
  }

  async list(filter: { run_id: string; node_run_id?: string }): Promise<PersistedArtifact[]> {
    return [...this.#byId.values()]
      .filter((a) => a.run_id === filter.run_id && (filter.node_run_id === undefined || a.node_run_id === filter.node_run_id))
      .map((a) => structuredClone(a));
  }
}

/** In-memory `AuditSink`. `records` holds every record, in order. */
export class InMemoryAuditSink implements AuditSink {
  readonly records: ToolAuditRecord[] = [];

  async write(record: ToolAuditRecord): Promise<void> {
    this.records.push(structuredClone(record));
  }

  async list(filter: { idempotency_key: string }): Promise<ToolAuditRecord[]> {
    return this.records.filter((r) => r.idempotency_key === filter.idempotency_key).map((r) => structuredClone(r));
  }
}
