import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { NodeExecution, NodeExecutor, NodeResult } from '@llmctl/runtime';
import { toPayload } from './attempt-payload.ts';
import { DispatchStore, type DispatchRow } from './dispatch-store.ts';
import { ExecutorSettingCache, REMOTE_BACKENDS } from './executor-setting.ts';

/** Attempts run inline without an outbox read, kept this long for the sweep after a settings change. */
const SKIPPED_KEEP_MS = 120_000;

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

/**
 * Where a composition that already keeps the runtime settings (one LISTEN connection for the whole process) hands
 * the `executor` setting to the executor instead of {@link DispatchingExecutor.cacheRuntimeSetting}'s own listener:
 * `known()` answers like {@link ExecutorSettingCache.known} (undefined while not known or not trusted), and
 * `onInvalidated` is called on every change, lost or new connection.
 */
export interface RuntimeSettingSource {
  known(): string | null | undefined;
  onInvalidated(listener: () => void): () => void;
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

  private setting: Pick<ExecutorSettingCache, 'known'> | null = null;
  /** Stops the current setting source (closes the own listener, or unsubscribes from a shared source). */
  private stopSetting: (() => Promise<void>) | null = null;
  /** Outbox ids (`<run id>:<sequence>`) of attempts run inline on the cached setting, with when they started. */
  private skipped = new Map<string, number>();
  /** Attempts that skipped the outbox read (for tests and the benchmark). */
  skippedReads = 0;

  constructor(private readonly o: DispatchingExecutorOptions) {
    this.store = new DispatchStore(o.pool);
  }

  /**
   * Keeps the runtime setting `executor` in memory (a LISTEN connection empties it on every settings save), so a first
   * attempt that certainly has no outbox row runs inline without reading `executor_dispatches`. Off by default: without
   * it every attempt of a node whose backend depends on the runtime setting reads its dispatch row.
   */
  async cacheRuntimeSetting(): Promise<void> {
    if (this.setting) return;
    const cache = new ExecutorSettingCache(this.o.pool, () => this.sweepSkipped());
    this.setting = cache;
    this.stopSetting = () => cache.stop();
    await cache.start();
  }

  /**
   * Like {@link cacheRuntimeSetting}, but the setting comes from a cache the composition already keeps (fed by its own
   * LISTEN connection): no connection of its own. Replaces nothing when a setting source is already in use.
   */
  useRuntimeSetting(source: RuntimeSettingSource): void {
    if (this.setting) return;
    const off = source.onInvalidated(() => this.sweepSkipped());
    this.setting = source;
    this.stopSetting = async () => {
      off();
    };
  }

  /** The cached runtime setting `executor` (null: unset), or undefined while not known or not cached. */
  knownRuntimeSetting(): string | null | undefined {
    return this.setting?.known();
  }

  /** Stops caching the runtime setting and closes its LISTEN connection. */
  async stopCachingRuntimeSetting(): Promise<void> {
    const stop = this.stopSetting;
    this.setting = null;
    this.stopSetting = null;
    await stop?.();
  }

  /** Forgets the cached runtime setting (this process saved the settings; the notification follows). */
  invalidateRuntimeSetting(): void {
    if (this.setting instanceof ExecutorSettingCache) this.setting.invalidate();
  }

  /**
   * The outbox id of this attempt when its commit certainly wrote no dispatch row and no older dispatch of the node run
   * can be live; else null. Exact for a node or flowchart that names its backend (the document of a version never
   * changes); for the runtime setting it relies on the cache (see {@link ExecutorSettingCache}).
   */
  private inlineWithoutRow(x: NodeExecution): string | null {
    const nr = x.nodeRun;
    // Only the node run's first attempt ever: every earlier one may have left a live dispatch to supersede.
    if (nr.attempts.length !== 1 || x.attempt !== 1 || nr.started_seq === null) return null;
    const named = (x.node as { executor?: string | null }).executor ?? x.graph.doc.settings?.executor ?? null;
    const backend = named ?? this.setting?.known();
    if (backend === undefined || REMOTE_BACKENDS.has(backend ?? 'inline')) return null;
    // decide.dispatch appends node.attempt_started right after node.started: the outbox row would be <run>:<seq + 1>.
    return `${x.run.id}:${nr.started_seq + 1}`;
  }

  /**
   * After the runtime setting changed: an attempt that started between the settings commit and this process hearing of
   * it ran inline although its commit wrote a dispatch row. Nothing ever executes a `pending` row but this executor,
   * so the attempt ran once; its row is marked failed here so the outbox and the node run's view say so.
   */
  private sweepSkipped(): void {
    const cutoff = Date.now() - SKIPPED_KEEP_MS;
    for (const [id, at] of this.skipped) if (at < cutoff) this.skipped.delete(id);
    const ids = [...this.skipped.keys()];
    if (ids.length === 0) return;
    this.store.failRanInline(ids).catch(() => undefined);
  }

  async execute(x: NodeExecution): Promise<NodeResult> {
    if (OWNER_NODE_TYPES.has(x.node.type)) return this.o.inline.execute(x);
    const skip = this.inlineWithoutRow(x);
    if (skip !== null) {
      this.skippedReads += 1;
      if (this.setting) this.skipped.set(skip, Date.now());
      if (this.skipped.size > 10_000) this.skipped.delete(this.skipped.keys().next().value!);
      return this.o.inline.execute(x);
    }
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
    await this.stopCachingRuntimeSetting();
    for (const b of Object.values(this.o.backends)) await b?.stop?.();
  }
}
