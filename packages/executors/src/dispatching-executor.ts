import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { NodeExecution, NodeExecutor, NodeResult } from '@llmctl/runtime';
import { toPayload } from './attempt-payload.ts';
import { DispatchStore, type DispatchRow } from './dispatch-store.ts';

/** Node types whose work always runs in the owner (they only route, or start child runs the owner tracks). */
export const OWNER_NODE_TYPES = new Set(['start', 'end', 'flowchart']);

/** A place node attempts run other than the owner's process. */
export interface ExecutorBackend {
  readonly name: 'queue' | 'kubernetes';
  /**
   * Runs the attempt of dispatch `row` (state `pending`, written by the attempt's commit) and resolves with its
   * result; honours `x.signal` (abort in-flight work and mark the dispatch failed).
   */
  run(row: DispatchRow, x: NodeExecution): Promise<NodeResult>;
  stop?(): Promise<void>;
}

/** Options of {@link DispatchingExecutor}. */
export interface DispatchingExecutorOptions {
  pool: pg.Pool;
  /** Runs attempts in this process (the `inline` backend, and owner-only node types). */
  inline: NodeExecutor;
  backends: Partial<Record<'queue' | 'kubernetes', ExecutorBackend>>;
}

/**
 * The runtime's `NodeExecutor` for every backend. Which backend runs an attempt was decided in the commit that
 * started it (the outbox trigger writes an `executor_dispatches` row for non-inline attempts); this reads that row
 * and hands the attempt to its backend, or runs it inline when there is none.
 */
export class DispatchingExecutor implements NodeExecutor {
  readonly backend = 'dispatching';
  readonly store: DispatchStore;

  constructor(private readonly o: DispatchingExecutorOptions) {
    this.store = new DispatchStore(o.pool);
  }

  async execute(x: NodeExecution): Promise<NodeResult> {
    if (OWNER_NODE_TYPES.has(x.node.type)) return this.o.inline.execute(x);
    const row = await this.store.latest(x.nodeRun.id);
    const current = !!row && row.attempt === x.attempt && row.sequence >= (x.nodeRun.started_seq ?? 0);
    if (!row || !current) {
      if (row && ['pending', 'submitted', 'confirmed'].includes(row.state)) {
        await this.store.fail(row.id, { code: 'interrupted', message: 'superseded by an inline attempt', details: { reason: 'superseded' }, retryable: true });
      }
      return this.o.inline.execute(x);
    }
    if (row.state !== 'pending') throw new LlmctlError('dispatch_uncertain', `dispatch ${row.id} is already ${row.state}`, { dispatch_id: row.id }, true);
    const backend = this.o.backends[row.backend as 'queue' | 'kubernetes'];
    if (!backend) {
      const err = new LlmctlError('create_failed', `executor backend ${row.backend} is not configured in this process`, { backend: row.backend }, false);
      await this.store.fail(row.id, err.toInfo());
      throw err;
    }
    return backend.run(row, x);
  }

  /** The payload of an attempt (for backends). */
  static payload(row: DispatchRow, x: NodeExecution) {
    return toPayload(row.id, x);
  }

  async stop(): Promise<void> {
    for (const b of Object.values(this.o.backends)) await b?.stop?.();
  }
}
