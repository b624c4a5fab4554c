/** The plan store port and its in-memory adapter. */

/** Status of a plan item. */
export type PlanItemStatus = 'pending' | 'in_progress' | 'completed';

/** One item of a plan. */
export interface PlanItem {
  key: string;
  title: string;
  status: PlanItemStatus;
}

/** A stored plan (table `plans`, keyed by run_id + plan_key). `status` is `completed` when every item is. */
export interface PlanRecord {
  run_id: string;
  plan_key: string;
  flowchart_id: string | null;
  items: PlanItem[];
  status: 'open' | 'completed';
  /** ISO 8601. */
  updated_at: string;
}

/** What a plan update writes (the store fills in run_id, plan_key and updated_at). */
export interface PlanDraft {
  flowchart_id: string | null;
  items: PlanItem[];
  status: 'open' | 'completed';
}

/** Plans of runs. */
export interface PlanStore {
  /** The plan, or null. */
  get(run_id: string, plan_key: string): Promise<PlanRecord | null>;
  /**
   * Atomic read-modify-write: calls `mutate` with the current plan (null when none) and stores what it returns. When
   * `mutate` throws, nothing is written and the error propagates. `mutate` is synchronous and pure (an adapter may
   * call it again after a serialization retry). Concurrent updates of one plan must not lose writes.
   * (PostgreSQL: in a transaction, `INSERT … ON CONFLICT DO NOTHING` a placeholder or `SELECT … FOR UPDATE`, then
   * upsert.)
   */
  update(run_id: string, plan_key: string, mutate: (current: PlanRecord | null) => PlanDraft): Promise<PlanRecord>;
  /** Plans matching every given filter field, most recently updated first. */
  list(filter: { run_id?: string; flowchart_id?: string }): Promise<PlanRecord[]>;
}

/** In-memory `PlanStore`. */
export class InMemoryPlanStore implements PlanStore {
  readonly #plans = new Map<string, PlanRecord>();
  #tick = 0;
  readonly #touched = new Map<string, number>();

  async get(run_id: string, plan_key: string): Promise<PlanRecord | null> {
    const p = this.#plans.get(JSON.stringify([run_id, plan_key]));
    return p ? structuredClone(p) : null;
  }

  async update(run_id: string, plan_key: string, mutate: (current: PlanRecord | null) => PlanDraft): Promise<PlanRecord> {
    const k = JSON.stringify([run_id, plan_key]);
    const current = this.#plans.get(k);
    const draft = mutate(current ? structuredClone(current) : null);
    const record: PlanRecord = { run_id, plan_key, ...structuredClone(draft), updated_at: new Date().toISOString() };
    this.#plans.set(k, record);
    this.#touched.set(k, (this.#tick += 1));
    return structuredClone(record);
  }

  async list(filter: { run_id?: string; flowchart_id?: string }): Promise<PlanRecord[]> {
    return [...this.#plans.entries()]
      .filter(([, p]) => (filter.run_id === undefined || p.run_id === filter.run_id) && (filter.flowchart_id === undefined || p.flowchart_id === filter.flowchart_id))
      .sort(([a], [b]) => (this.#touched.get(b) ?? 0) - (this.#touched.get(a) ?? 0))
      .map(([, p]) => structuredClone(p));
  }
}
