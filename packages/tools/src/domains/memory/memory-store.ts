/** The memory store port and its in-memory adapter. */
import { overlapScore } from '../../shared/term-overlap.ts';

/** A stored memory (table `memories`). `scope` is `global` or `flowchart:<flowchart id>`. */
export interface MemoryRecord {
  id: string;
  scope: string;
  text: string;
  flowchart_id: string | null;
  run_id: string | null;
  node_run_id: string | null;
  /** ISO 8601. */
  created_at: string;
}

/** A memory found by `search`, with its relevance (higher is better, > 0). */
export interface ScoredMemory extends MemoryRecord {
  score: number;
}

/** What `MemoryStore.add` stores. */
export type MemoryInput = Omit<MemoryRecord, 'created_at'>;

/** Filter of `MemoryStore.list`. */
export interface MemoryFilter {
  scope?: string;
  flowchart_id?: string;
  run_id?: string;
  /** Default 100. */
  limit?: number;
}

/** Memories: add, search by relevance within one scope, list. */
export interface MemoryStore {
  /**
   * Stores a memory, idempotent on `id`: adding an existing id stores nothing and returns the stored record.
   * (PostgreSQL: `INSERT … ON CONFLICT (id) DO NOTHING`, then `SELECT`.)
   */
  add(memory: MemoryInput): Promise<MemoryRecord>;
  /**
   * The `limit` memories of `scope` most relevant to `query`, best first; memories sharing no term with the query
   * are left out. Memories sharing more distinct query terms rank higher; ties go to the newer memory.
   * (PostgreSQL: full-text search over `tsv` with the query terms OR-ed, ranked by `ts_rank`.)
   */
  search(query: { scope: string; query: string; limit: number }): Promise<ScoredMemory[]>;
  /** Memories matching every given filter field, newest first. */
  list(filter: MemoryFilter): Promise<MemoryRecord[]>;
}

/** In-memory `MemoryStore`, ranking by term overlap. */
export class InMemoryMemoryStore implements MemoryStore {
  readonly #records = new Map<string, MemoryRecord>();
  #seq = 0;
  readonly #order = new Map<string, number>();

  async add(memory: MemoryInput): Promise<MemoryRecord> {
    const existing = this.#records.get(memory.id);
    if (existing) return { ...existing };
    const record: MemoryRecord = { ...memory, created_at: new Date().toISOString() };
    this.#records.set(record.id, record);
    this.#order.set(record.id, (this.#seq += 1));
    return { ...record };
  }

  async search(query: { scope: string; query: string; limit: number }): Promise<ScoredMemory[]> {
    return [...this.#records.values()]
      .filter((m) => m.scope === query.scope)
      .map((m) => ({ ...m, score: overlapScore(query.query, m.text) }))
      .filter((m) => m.score > 0)
      .sort((a, b) => b.score - a.score || this.#newer(a.id, b.id))
      .slice(0, query.limit);
  }

  async list(filter: MemoryFilter): Promise<MemoryRecord[]> {
    return [...this.#records.values()]
      .filter(
        (m) =>
          (filter.scope === undefined || m.scope === filter.scope) &&
          (filter.flowchart_id === undefined || m.flowchart_id === filter.flowchart_id) &&
          (filter.run_id === undefined || m.run_id === filter.run_id),
      )
      .sort((a, b) => this.#newer(a.id, b.id))
      .slice(0, filter.limit ?? 100)
      .map((m) => ({ ...m }));
  }

  #newer(a: string, b: string): number {
    return (this.#order.get(b) ?? 0) - (this.#order.get(a) ?? 0);
  }
}
