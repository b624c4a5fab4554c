/** The milestone store port and its in-memory adapter. */

/** Status of a milestone. */
export type MilestoneStatus = 'open' | 'completed';

/** A stored milestone (table `milestones`, keyed by run_id + milestone_key). */
export interface MilestoneRecord {
  run_id: string;
  milestone_key: string;
  flowchart_id: string | null;
  title: string;
  status: MilestoneStatus;
  /** ISO 8601. */
  updated_at: string;
}

/** What a milestone update writes (the store fills in run_id, milestone_key and updated_at). */
export interface MilestoneDraft {
  flowchart_id: string | null;
  title: string;
  status: MilestoneStatus;
}

/** Milestones of runs. */
export interface MilestoneStore {
  /** The milestone, or null. */
  get(run_id: string, milestone_key: string): Promise<MilestoneRecord | null>;
  /**
   * Atomic read-modify-write, with the same rules as `PlanStore.update`: `mutate` gets the current milestone (or
   * null), is synchronous and pure, and a throw writes nothing.
   */
  update(run_id: string, milestone_key: string, mutate: (current: MilestoneRecord | null) => MilestoneDraft): Promise<MilestoneRecord>;
  /** Milestones matching every given filter field, most recently updated first. */
  list(filter: { run_id?: string; flowchart_id?: string }): Promise<MilestoneRecord[]>;
}

/** In-memory `MilestoneStore`. */
export class InMemoryMilestoneStore implements MilestoneStore {
  readonly #items = new Map<string, MilestoneRecord>();
  #tick = 0;
  readonly #touched = new Map<string, number>();

  async get(run_id: string, milestone_key: string): Promise<MilestoneRecord | null> {
    const m = this.#items.get(JSON.stringify([run_id, milestone_key]));
    return m ? { ...m } : null;
  }

  async update(
    run_id: string,
    milestone_key: string,
    mutate: (current: MilestoneRecord | null) => MilestoneDraft,
  ): Promise<MilestoneRecord> {
    const k = JSON.stringify([run_id, milestone_key]);
    const current = this.#items.get(k);
    const draft = mutate(current ? { ...current } : null);
    const record: MilestoneRecord = {
      run_id,
      milestone_key,
      flowchart_id: draft.flowchart_id,
      title: draft.title,
      status: draft.status,
      updated_at: new Date().toISOString(),
    };
    this.#items.set(k, record);
    this.#touched.set(k, (this.#tick += 1));
    return { ...record };
  }

  async list(filter: { run_id?: string; flowchart_id?: string }): Promise<MilestoneRecord[]> {
    return [...this.#items.entries()]
      .filter(([, m]) => (filter.run_id === undefined || m.run_id === filter.run_id) && (filter.flowchart_id === undefined || m.flowchart_id === filter.flowchart_id))
      .sort(([a], [b]) => (this.#touched.get(b) ?? 0) - (this.#touched.get(a) ?? 0))
      .map(([, m]) => ({ ...m }));
  }
}
