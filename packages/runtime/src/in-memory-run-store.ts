import type { FlowchartDocument } from '@llmctl/contracts';
import type { NodeRunState } from '@llmctl/engine';
import type { Commit, NewRun, RunProjection, RunRecord, RunStore, StoredEvent } from './ports.ts';
import type { RunSnapshot } from './fold-log.ts';
import { FencedError } from './ports.ts';
import { findUnstorable } from './storable.ts';

/** Snapshots kept per run (the PostgreSQL adapter keeps the same number). */
const SNAPSHOTS_KEPT = 4;

interface MemRun extends RunRecord {
  projection: RunProjection | null;
}

/** In-memory `RunStore` adapter: the same contract as the PostgreSQL one, for engine-level tests. */
export class InMemoryRunStore implements RunStore {
  readonly flowcharts = new Map<string, FlowchartDocument[]>();
  readonly runs = new Map<string, MemRun>();
  readonly events = new Map<string, StoredEvent[]>();
  readonly nodeRuns = new Map<string, Map<string, NodeRunState>>();
  /** Snapshots per run, oldest first (as JSON text, like the database keeps them). */
  readonly snapshots = new Map<string, { sequence: number; format: number; json: string }[]>();

  /** Test helper: stores a flowchart version (1-based). */
  putFlowchart(id: string, doc: FlowchartDocument): number {
    const list = this.flowcharts.get(id) ?? [];
    list.push(structuredClone(doc));
    this.flowcharts.set(id, list);
    return list.length;
  }

  async getFlowchartVersion(flowchartId: string, version?: number) {
    const list = this.flowcharts.get(flowchartId);
    if (!list || list.length === 0) return null;
    const v = version ?? list.length;
    const doc = list[v - 1];
    return doc ? { version: v, document: doc } : null;
  }

  async latestVersion(flowchartId: string): Promise<number | null> {
    return this.flowcharts.get(flowchartId)?.length ?? null;
  }

  async createRun(run: NewRun): Promise<void> {
    if (this.runs.has(run.id)) throw new Error(`run ${run.id} exists`);
    this.runs.set(run.id, {
      id: run.id, flowchart_id: run.flowchart_id, flowchart_version: run.flowchart_version, status: 'queued', input: run.input,
      parent_run_id: run.parent_run_id ?? null, parent_node_run_id: run.parent_node_run_id ?? null,
      continued_from: run.continued_from ?? null, continued_to: null, continuation: run.continuation ?? 0, lease_owner: null, lease_epoch: 0, lease_expires_at: null,
      last_sequence: 0, request_id: run.request_id ?? null, correlation_id: run.correlation_id ?? null, projection: null,
    });
    this.events.set(run.id, []);
    this.nodeRuns.set(run.id, new Map());
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const r = this.runs.get(runId);
    return r ? { ...r } : null;
  }

  async commit(c: Commit): Promise<void> {
    const r = this.runs.get(c.run_id);
    if (!r || r.last_sequence !== c.expected_sequence) throw new FencedError(c.run_id);
    if (c.lease && (r.lease_owner !== c.lease.owner || r.lease_epoch !== c.lease.epoch)) throw new FencedError(c.run_id);
    // Like PostgreSQL (22P05): text and jsonb cannot hold NUL characters or lone surrogates.
    const bad = findUnstorable({ events: c.events, node_runs: c.node_runs, run: c.run, new_runs: c.new_runs ?? [] });
    if (bad) throw Object.assign(new Error(`unsupported Unicode escape sequence at ${bad.path}`), { code: '22P05' });
    for (const nr of c.new_runs ?? []) await this.createRun(nr);
    const log = this.events.get(c.run_id)!;
    const at = new Date().toISOString();
    for (const e of c.events) log.push({ ...structuredClone(e), run_id: c.run_id, created_at: at });
    r.last_sequence = c.expected_sequence + c.events.length;
    r.status = c.run.status;
    r.projection = structuredClone(c.run);
    if (c.run.continued_to) r.continued_to = c.run.continued_to;
    const nrs = this.nodeRuns.get(c.run_id)!;
    for (const nr of c.node_runs) nrs.set(nr.id, structuredClone(nr));
    if (c.snapshot) {
      const list = this.snapshots.get(c.run_id) ?? [];
      list.push({ sequence: c.snapshot.sequence, format: c.snapshot.format, json: c.snapshot.state_json });
      this.snapshots.set(c.run_id, list.slice(-SNAPSHOTS_KEPT));
    }
  }

  async loadSnapshot(runId: string, atOrBefore: number): Promise<RunSnapshot | null> {
    const hit = [...(this.snapshots.get(runId) ?? [])].reverse().find((x) => x.sequence <= atOrBefore);
    if (!hit) return null;
    const state = JSON.parse(hit.json) as RunSnapshot['state'] & { $refs?: number[] };
    // Format 2 keeps large outputs by reference to the events that logged them: read them like PostgreSQL does.
    const log = this.events.get(runId) ?? [];
    const outputs: Record<string, unknown> = {};
    for (const seq of state.$refs ?? []) outputs[String(seq)] = structuredClone((log[seq - 1]?.payload as { output?: unknown } | undefined)?.output ?? null);
    return { sequence: hit.sequence, format: hit.format, state, outputs };
  }

  async loadEvents(runId: string, afterSequence: number, limit = 1000): Promise<StoredEvent[]> {
    return (this.events.get(runId) ?? []).filter((e) => e.sequence > afterSequence).slice(0, limit).map((e) => structuredClone(e));
  }

  async acquireLease(runId: string, owner: string, ttlMs: number, isDead: (o: string) => boolean): Promise<number | null> {
    const r = this.runs.get(runId);
    if (!r) return null;
    const free = r.lease_owner === null || r.lease_owner === owner || (r.lease_expires_at !== null && Date.parse(r.lease_expires_at) < Date.now()) || isDead(r.lease_owner);
    if (!free) return null;
    r.lease_owner = owner;
    r.lease_epoch += 1;
    r.lease_expires_at = new Date(Date.now() + ttlMs).toISOString();
    return r.lease_epoch;
  }

  async renewLeases(owner: string, runIds: string[], ttlMs: number): Promise<string[]> {
    const held: string[] = [];
    for (const id of runIds) {
      const r = this.runs.get(id);
      if (r && r.lease_owner === owner) {
        r.lease_expires_at = new Date(Date.now() + ttlMs).toISOString();
        held.push(id);
      }
    }
    return held;
  }

  async releaseLease(runId: string, owner: string): Promise<void> {
    const r = this.runs.get(runId);
    if (r && r.lease_owner === owner) {
      r.lease_owner = null;
      r.lease_expires_at = null;
    }
  }

  async findRunsToRecover(owner: string, isDead: (o: string) => boolean): Promise<string[]> {
    const now = Date.now();
    return [...this.runs.values()]
      .filter((r) => ['queued', 'running', 'pausing', 'canceling'].includes(r.status))
      .filter((r) => r.lease_owner === null || (r.lease_owner !== owner && ((r.lease_expires_at !== null && Date.parse(r.lease_expires_at) < now) || isDead(r.lease_owner))))
      .map((r) => r.id);
  }

  async getRunResult(runId: string) {
    const r = this.runs.get(runId);
    if (!r) return null;
    return { status: r.status, output: r.projection?.output ?? null, error: r.projection?.error ?? null };
  }

  async chainTail(runId: string): Promise<string | null> {
    let r = this.runs.get(runId);
    for (let i = 0; r?.continued_to && i < 1_000_000; i++) r = this.runs.get(r.continued_to);
    return r?.id ?? null;
  }

  async listActiveChildRuns(parentRunId: string): Promise<string[]> {
    return [...this.runs.values()].filter((r) => r.parent_run_id === parentRunId && ['queued', 'running', 'pausing', 'paused', 'canceling'].includes(r.status)).map((r) => r.id);
  }
}
