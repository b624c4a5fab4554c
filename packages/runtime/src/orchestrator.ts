import { foldLog } from './fold-log.ts';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ControlRequest, FlowchartDocument, FlowchartSettings } from '@llmctl/contracts';
import { DEFAULT_SETTINGS, LlmctlError } from '@llmctl/contracts';
import type { CompiledGraph, ControlMeta, EngineState } from '@llmctl/engine';
import { compileGraph, control, initialState, decide } from '@llmctl/engine';
import { EventBus } from './event-bus.ts';
import { RunSignals } from './run-signals.ts';
import type { NodeHandlers } from './nodes/node-handler.ts';
import type { NodeExecutor } from './executor.ts';
import { inlineExecutor } from './executor.ts';
import type { RunRecord, RunStore } from './ports.ts';
import type { ActorDeps, CommandMeta } from './run-actor.ts';
import { RunActor } from './run-actor.ts';
import { classifyStoreError } from './storable.ts';
import type { ErrorInfo } from '@llmctl/contracts';
import { assertOverrideIsRead } from './rewind-override.ts';

export interface OrchestratorOptions {
  store: RunStore;
  handlers: NodeHandlers;
  /** Where node work runs (default: inline, through `handlers`). */
  executor?: NodeExecutor;
  bus?: EventBus;
  /** Commits of other processes (the host feeds it, e.g. from LISTEN/NOTIFY); default: a hub nobody feeds. */
  signals?: RunSignals;
  newId: (prefix: string) => string;
  clock?: () => Date;
  leaseTtlMs?: number;
  /** Guardrail defaults for flowcharts that leave them out. */
  defaults?: Required<FlowchartSettings>;
  backoffMs?: (n: number, backoffMs: number) => number;
  logError?: (msg: string, err: unknown) => void;
  /** Events between two snapshots of a run's folded state (default 50; 0 turns snapshots off). */
  snapshotEvery?: number;
}

/** Options of {@link Orchestrator.startRun}. */
export interface StartOptions {
  input?: unknown;
  /** The flowchart version to run (default: its latest). */
  version?: number;
  parent_run_id?: string | null;
  parent_node_run_id?: string | null;
  /** The run's id (default: a new one). */
  runId?: string;
}

export interface ControlResult {
  superseded_node_run_ids?: string[];
  side_effects?: { node_run_id: string; node_id: string; kind: string }[];
}

/** Exponential backoff from backoff_ms with ±20 % jitter. */
export function defaultBackoff(n: number, backoffMs: number): number {
  const base = backoffMs * 2 ** Math.max(0, n - 2);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** `llmctl:<host>:<pid>:<random>`: lease owner id of this process. */
export function makeOwnerId(): string {
  return `llmctl:${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** True when the owner ran on this host and its process is gone. */
export function ownerIsDead(owner: string): boolean {
  const [, host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Owns the runs this process executes: leases (renewed, fenced), recovery of runs whose owner died, run start,
 * and run control. One `RunActor` per owned run.
 */
export class Orchestrator {
  readonly bus: EventBus;
  /** Cross-process commit signals: what sub-flowchart parents wait on for a child owned by another process. */
  readonly signals: RunSignals;
  readonly owner = makeOwnerId();
  private readonly actors = new Map<string, RunActor>();
  private readonly loading = new Map<string, Promise<RunActor>>();
  /** Lease releases of settled actors still on their way: a new actor for the run waits for them (see `loadActor`). */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly graphs = new Map<string, CompiledGraph>();
  /**
   * The latest version of each flowchart this process started a run of: a run of the latest version is then created
   * by its first commit, which checks in SQL that the version is still the latest (a miss falls back and refreshes).
   */
  private readonly latest = new Map<string, number>();
  /** The log position each loaded actor started from (an actor that committed nothing since releases its lease). */
  private readonly loadedAt = new WeakMap<RunActor, number>();
  /** Node runs of broken actors whose result can never be committed: failed (not re-run) when the run is adopted. */
  private readonly poisoned = new Map<string, Map<string, ErrorInfo>>();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly ttl: number;

  /** The run store this orchestrator writes to. */
  get store(): RunStore {
    return this.o.store;
  }

  /** Where this orchestrator runs node work. */
  readonly executor: NodeExecutor;

  constructor(private readonly o: OrchestratorOptions) {
    this.bus = o.bus ?? new EventBus();
    this.signals = o.signals ?? new RunSignals();
    this.executor = o.executor ?? inlineExecutor(o.handlers);
    this.ttl = o.leaseTtlMs ?? 10_000;
  }

  /** Reclaims runs of dead owners at once, then keeps leases renewed and takes over expired ones. */
  async start(): Promise<void> {
    await this.recoverRuns();
    const renew = setInterval(() => void this.renewLeases(), Math.max(200, Math.floor(this.ttl / 3)));
    const recover = setInterval(() => void this.recoverRuns(), this.ttl);
    renew.unref();
    recover.unref();
    this.timers.push(renew, recover);
  }

  /** Stops all actors without committing anything (their runs are recovered by the next owner). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const a of this.actors.values()) a.stop();
    await Promise.allSettled([...this.actors.keys()].map((id) => this.o.store.releaseLease(id, this.owner)));
    this.actors.clear();
  }

  private log(msg: string, err: unknown): void {
    (this.o.logError ?? ((m, e) => console.error(m, e)))(msg, err);
  }

  async graphFor(flowchartId: string, version: number): Promise<CompiledGraph> {
    const key = `${flowchartId}@${version}`;
    let g = this.graphs.get(key);
    if (!g) {
      const fv = await this.o.store.getFlowchartVersion(flowchartId, version);
      if (!fv) throw new LlmctlError('not_found', `flowchart ${flowchartId} version ${version} not found`);
      g = this.cacheGraph(flowchartId, fv);
    }
    return g;
  }

  /** Compiles a version read from the store into the per-process graph cache (kept if already there). */
  private cacheGraph(flowchartId: string, fv: { version: number; document: FlowchartDocument }): CompiledGraph {
    const key = `${flowchartId}@${fv.version}`;
    let g = this.graphs.get(key);
    if (!g) {
      g = compileGraph(fv.document, this.o.defaults ?? DEFAULT_SETTINGS);
      this.graphs.set(key, g);
    }
    return g;
  }

  /** Creates a run and starts it. Resolves after the start is committed. */
  async startRun(flowchartId: string, opts: StartOptions, meta: CommandMeta): Promise<string> {
    const id = opts.runId ?? this.o.newId('run');
    // A run created by its first commit: the version is known (given, or this process's latest), its graph compiled.
    if (this.o.store.createsRunInCommit && !this.stopped) {
      if (opts.version !== undefined) {
        await this.versionGraph(flowchartId, opts.version);
        if (await this.startCreated(id, flowchartId, opts.version, opts, meta)) return id;
      } else {
        // the cached latest version, else (or when a newer one was saved since) the latest read with its document
        for (let attempt = 0; attempt < 2; attempt++) {
          const version = this.latest.get(flowchartId) ?? (await this.readLatest(flowchartId));
          if (await this.startCreated(id, flowchartId, version, opts, meta)) return id;
          this.latest.delete(flowchartId);
        }
      }
    }
    if (opts.version === undefined && this.o.store.createLeasedRun && !this.stopped) return this.startLatest(id, flowchartId, opts, meta);
    const version = opts.version ?? (await this.o.store.latestVersion(flowchartId));
    if (version === null) throw new LlmctlError('not_found', `flowchart ${flowchartId} not found`, { flowchart_id: flowchartId });
    await this.versionGraph(flowchartId, version);
    const newRun = {
      id, flowchart_id: flowchartId, flowchart_version: version, input: opts.input ?? null,
      parent_run_id: opts.parent_run_id ?? null, parent_node_run_id: opts.parent_node_run_id ?? null,
      request_id: meta.request_id, correlation_id: meta.correlation_id,
    };
    let actor: RunActor;
    if (this.o.store.createLeasedRun && !this.stopped) {
      // One statement creates the run with this process's lease: no lease round trips, no run read, no log fold.
      const record = await this.o.store.createLeasedRun(newRun, this.owner, this.ttl);
      actor = RunActor.created(this.actorDeps(), record, await this.graphFor(flowchartId, version), record.lease_epoch);
      this.actors.set(id, actor);
    } else {
      await this.o.store.createRun(newRun);
      actor = await this.actorFor(id);
    }
    await actor.submit((d) => ({ events: d.s.seq === 0 ? decide.start(d.g, d.s, opts.input ?? null, d.newId, d.now, actor.record.continuation ?? 0) : [], result: undefined }), meta);
    return id;
  }

  /**
   * Starts a run of the flowchart's latest version: ONE statement creates the run with this process's lease and reads
   * the version (no version read before it), then its first commit starts it. The graph of a version is compiled once
   * per process and cached.
   */
  private async startLatest(id: string, flowchartId: string, opts: StartOptions, meta: CommandMeta): Promise<string> {
    const record = await this.o.store.createLeasedRun!({
      id, flowchart_id: flowchartId, flowchart_version: null, input: opts.input ?? null,
      parent_run_id: opts.parent_run_id ?? null, parent_node_run_id: opts.parent_node_run_id ?? null,
      request_id: meta.request_id, correlation_id: meta.correlation_id,
    }, this.owner, this.ttl);
    let graph: CompiledGraph;
    try {
      graph = await this.graphFor(flowchartId, record.flowchart_version);
    } catch (err) {
      // (a stored version always compiles; should it not, the run is left to recovery, which reports it)
      await this.o.store.releaseLease(id, this.owner).catch(() => undefined);
      throw err;
    }
    this.latest.set(flowchartId, record.flowchart_version);
    const actor = RunActor.created(this.actorDeps(), record, graph, record.lease_epoch);
    this.actors.set(id, actor);
    await actor.submit((d) => ({ events: d.s.seq === 0 ? decide.start(d.g, d.s, opts.input ?? null, d.newId, d.now, actor.record.continuation ?? 0) : [], result: undefined }), meta);
    return id;
  }

  /**
   * The flowchart's latest version, read with its document in one statement (compiled and cached, like the version
   * itself); `not_found` when there is no such flowchart.
   */
  private async readLatest(flowchartId: string): Promise<number> {
    const fv = await this.o.store.getFlowchartVersion(flowchartId);
    if (!fv) throw new LlmctlError('not_found', `flowchart ${flowchartId} not found`, { flowchart_id: flowchartId });
    this.cacheGraph(flowchartId, fv);
    this.latest.set(flowchartId, fv.version);
    return fv.version;
  }

  /** The compiled graph of a given version; `not_found` naming the version when it does not exist. */
  private versionGraph(flowchartId: string, version: number): Promise<CompiledGraph> {
    return this.graphFor(flowchartId, version).catch((err: unknown) => {
      if (err instanceof LlmctlError && err.code === 'not_found') throw new LlmctlError('not_found', `flowchart ${flowchartId} has no version ${version}`, { flowchart_id: flowchartId, version });
      throw err;
    });
  }

  /**
   * Starts a run whose row is created by its first commit (one statement: the run row with this process's lease, the
   * start decision's events, node runs and notification; `Commit.create`). Without an explicit version the run is
   * created only while `version` is still the flowchart's latest. Returns false when nothing was created (a newer
   * version was saved): the caller starts it the usual way. A run that exists after a failed first commit (its
   * answer was lost and the retry was fenced) is carried on by adopting it.
   */
  private async startCreated(id: string, flowchartId: string, version: number, opts: StartOptions, meta: CommandMeta): Promise<boolean> {
    const graph = await this.graphFor(flowchartId, version);
    const run = {
      id, flowchart_id: flowchartId, flowchart_version: version, input: opts.input ?? null, parent_run_id: opts.parent_run_id ?? null,
      parent_node_run_id: opts.parent_node_run_id ?? null, request_id: meta.request_id, correlation_id: meta.correlation_id,
    };
    const record: RunRecord = {
      ...run, status: 'queued', continued_from: null, continued_to: null, continuation: 0, lease_owner: this.owner, lease_epoch: 1,
      lease_expires_at: null, last_sequence: 0,
    };
    const actor = RunActor.created(this.actorDeps(() => actor.creating), record, graph, 1, { run, ttl_ms: this.ttl, if_latest: opts.version === undefined });
    this.actors.set(id, actor);
    try {
      await actor.submit((d) => ({ events: decide.start(d.g, d.s, opts.input ?? null, d.newId, d.now, 0), result: undefined }), meta);
      return true;
    } catch (err) {
      if (!actor.creating) throw err;
      if (this.actors.get(id) === actor) this.actors.delete(id);
      const row = await this.o.store.getRun(id).catch(() => Promise.reject(err));
      if (row) {
        // (a run this process already executes is left to its actor)
        if (!this.actors.has(id)) void this.adopt(id);
        return true;
      }
      if (err instanceof LlmctlError && err.code === 'conflict') return false; // fenced: nothing was created
      throw err;
    }
  }

  /** Applies a control action; resolves after commit. */
  async control(runId: string, req: ControlRequest, meta: CommandMeta & { actor: string }): Promise<ControlResult> {
    const actor = await this.actorFor(runId);
    const cm: ControlMeta = { actor: meta.actor, reason: req.reason ?? null, params: { ...req, action: undefined } };
    switch (req.action) {
      case 'pause':
        await actor.submit((d) => ({ events: control.pause(d.g, d.s, req.mode === 'now' ? 'now' : 'graceful', cm, d.newId, d.now), result: undefined }), meta);
        return {};
      case 'resume':
        await actor.submit((d) => ({ events: control.resume(d.g, d.s, cm, d.newId, d.now), result: undefined }), meta);
        if (actor.state.status === 'queued') await actor.recover();
        return {};
      case 'cancel': {
        // A continue-as-new chain is canceled as a whole: cancelling any run of it stops the chain's live run.
        if (await this.cancelChainTail(actor, req, meta)) return {};
        try {
          await actor.submit((d) => ({ events: control.cancel(d.g, d.s, cm, d.newId, d.now), result: undefined }), meta);
        } catch (err) {
          // The run continued as new while the cancel was on its way: cancel its successor.
          if (err instanceof LlmctlError && err.code === 'invalid_transition' && (await this.cancelChainTail(actor, req, meta))) return {};
          throw err;
        }
        // A parent's cancel cascades to its child runs.
        for (const child of await this.o.store.listActiveChildRuns(runId)) {
          await this.control(child, { action: 'cancel', reason: `parent run ${runId} was canceled` }, meta).catch((e) => this.log(`cancel child ${child}`, e));
        }
        return {};
      }
      case 'retry':
        await actor.submit((d) => ({ events: control.retry(d.g, d.s, req.node_run_id, cm, d.newId, d.now), result: undefined }), meta);
        return {};
      case 'skip': {
        const nr = req.node_run_id ? actor.state.node_runs[req.node_run_id] : undefined;
        const output = req.output === undefined ? null : req.output;
        const routing = nr ? await actor.computeRouting(nr, { output: nr.node_type === 'decision' ? output : output }) : null;
        // The actor may have settled (terminal, lease released) while the routing was computed: submit to the current one.
        await (await this.actorFor(runId)).submit((d) => {
          const r = routing ?? { ok: true as const, routing: { matched_connector_ids: [], route_key: null, route_keys: [], routing_state: 'terminal' as const, evaluated: [] } };
          const recorded = nr?.node_type === 'decision' && r.ok ? { ...r.routing } : r.ok ? r.routing : r.error;
          return { events: control.skip(d.g, d.s, req.node_run_id, output, recorded, cm, d.newId, d.now), result: undefined };
        }, meta);
        return {};
      }
      case 'rewind': {
        if (actor.record.continued_to) throw new LlmctlError('conflict', `run ${runId} continued as ${actor.record.continued_to} and cannot be rewound`, { continued_to: actor.record.continued_to });
        const nr = req.node_run_id ? actor.state.node_runs[req.node_run_id] : undefined;
        const before = nr?.started_seq ? await this.foldUntil(runId, nr.started_seq - 1) : initialState(runId);
        return (await this.actorFor(runId)).submit((d) => {
          assertOverrideIsRead(d.g, req.node_run_id ? d.s.node_runs[req.node_run_id] : undefined, req.input_override);
          const r = control.rewind(d.g, d.s, before, req.node_run_id, req.input_override, cm, d.newId, d.now);
          const side_effects = r.superseded
            .map((id) => d.s.node_runs[id]!)
            .filter((x) => x.started_seq !== null && x.node_type !== 'start' && x.node_type !== 'end' && x.node_type !== 'decision')
            .map((x) => ({ node_run_id: x.id, node_id: x.node_id, kind: x.node_type === 'task' ? 'model_and_tool_calls' : `${x.node_type}_operation` }));
          return { events: r.events, result: { superseded_node_run_ids: r.superseded, side_effects } };
        }, meta);
      }
      default:
        throw new LlmctlError('validation_failed', `unknown control action ${(req as { action: string }).action}`);
    }
  }

  /** When the run continued as new, cancels the newest run of its chain instead; false when it did not continue. */
  private async cancelChainTail(actor: RunActor, req: ControlRequest, meta: CommandMeta & { actor: string }): Promise<boolean> {
    if (!actor.record.continued_to) return false;
    const tail = (await this.o.store.chainTail?.(actor.id)) ?? actor.record.continued_to;
    if (tail === actor.id) return false;
    await this.control(tail, { ...req, reason: req.reason ?? `run ${actor.id} of its continue-as-new chain was canceled` }, meta);
    return true;
  }

  /** The state folded from the log up to and including `sequence`. */
  async foldUntil(runId: string, sequence: number): Promise<EngineState> {
    return foldLog(this.o.store, runId, sequence);
  }

  /** The actor of a run, taking its lease and folding its log when this process does not own it yet. */
  async actorFor(runId: string): Promise<RunActor> {
    const existing = this.actors.get(runId);
    if (existing && !existing.broken) return existing;
    const loading = this.loading.get(runId);
    if (loading) return loading;
    const p = this.loadActor(runId).finally(() => this.loading.delete(runId));
    this.loading.set(runId, p);
    return p;
  }

  private async loadActor(runId: string): Promise<RunActor> {
    if (this.stopped) throw new LlmctlError('unavailable', 'the orchestrator is stopping');
    // A settled actor's release (same owner) landing after this acquire would clear the new lease and fence its commits.
    await this.releasing.get(runId);
    const epoch = await this.o.store.acquireLease(runId, this.owner, this.ttl, ownerIsDead);
    const record = await this.o.store.getRun(runId);
    if (!record) throw new LlmctlError('not_found', `run ${runId} not found`, { run_id: runId });
    if (epoch === null) throw new LlmctlError('unavailable', `run ${runId} is owned by another live process (${record.lease_owner}); try again`, { owner: record.lease_owner });
    const graph = await this.graphFor(record.flowchart_id, record.flowchart_version);
    const actor = await RunActor.load(this.actorDeps(), record, graph, epoch);
    this.loadedAt.set(actor, record.last_sequence);
    this.actors.set(runId, actor);
    return actor;
  }

  /**
   * What an actor needs. `creating` (an actor whose first commit creates its run): while it says true, a coded error
   * of that commit (`not_found` for a deleted flowchart) is the caller's to report (startRun rejects with it), not
   * logged; the database being unreachable still is.
   */
  private actorDeps(creating?: () => boolean): ActorDeps {
    return {
      store: this.o.store, bus: this.bus, executor: this.executor, owner: this.owner, newId: this.o.newId,
      clock: this.o.clock ?? (() => new Date()), backoffMs: this.o.backoffMs ?? defaultBackoff,
      logError: (m, e) => {
        if (!(creating?.() && e instanceof LlmctlError)) this.log(m, e);
      },
      snapshotEvery: this.o.snapshotEvery,
      leaseTtlMs: this.ttl,
      onSettled: (a, reason) => this.onSettled(a, reason),
      onRunCreated: (id) => void this.adopt(id),
    };
  }

  private onSettled(a: RunActor, reason: 'terminal' | 'paused' | 'broken'): void {
    if (this.actors.get(a.id) !== a) return;
    this.actors.delete(a.id);
    // A run whose creating commit failed may not exist: startRun decides (fall back, adopt or report).
    if (reason === 'broken' && a.creating) return;
    // A terminal commit released the lease itself when the store says so — unless this actor committed nothing (a run
    // loaded terminal, e.g. for a control that changed nothing): its lease was taken by the load and is released here.
    if (reason === 'terminal' && this.o.store.releasesLeaseOnTerminalCommit && this.loadedAt.get(a) !== a.record.last_sequence) return;
    if (reason !== 'broken') {
      const p: Promise<void> = this.o.store.releaseLease(a.id, this.owner).catch((e) => this.log(`release lease of ${a.id}`, e))
        .finally(() => {
          if (this.releasing.get(a.id) === p) this.releasing.delete(a.id);
        });
      this.releasing.set(a.id, p);
    }
    // A broken actor (commit failed, state diverged) is rebuilt from the log: this process still holds the lease,
    // so the recovery scan would skip the run. When another owner fenced it, adopting fails quietly.
    else if (!this.stopped) {
      if (a.poisoned.size > 0) this.poisoned.set(a.id, new Map([...(this.poisoned.get(a.id) ?? []), ...a.poisoned]));
      setTimeout(() => void this.adopt(a.id), 1000).unref();
    }
  }

  /**
   * Takes over a run (recovery, continue-as-new) and carries it on. While the database is unreachable it tries
   * again with backoff (up to 10 s apart), so a run this process leases is never left without an actor.
   */
  async adopt(runId: string, attempt = 0): Promise<void> {
    try {
      const actor = await this.actorFor(runId);
      const poisoned = this.poisoned.get(runId);
      await actor.recover(poisoned);
      if (poisoned) this.poisoned.delete(runId);
    } catch (err) {
      if (!this.stopped && classifyStoreError(err) === 'transient') {
        if (attempt === 0) this.log(`could not adopt run ${runId} (database unreachable); retrying`, err);
        setTimeout(() => void this.adopt(runId, attempt + 1), Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))).unref();
        return;
      }
      if (err instanceof LlmctlError && (err.code === 'unavailable' || err.code === 'not_found')) return;
      this.log(`could not adopt run ${runId}`, err);
    }
  }

  private async recoverRuns(): Promise<void> {
    if (this.stopped) return;
    try {
      const ids = await this.o.store.findRunsToRecover(this.owner, ownerIsDead);
      await Promise.all(ids.filter((id) => !this.actors.has(id)).map((id) => this.adopt(id)));
    } catch (err) {
      this.log('recovery scan failed', err);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.stopped || this.actors.size === 0) return;
    try {
      // (a run whose first commit creates it has no row to renew yet)
      const ids = [...this.actors].filter(([, a]) => !a.creating).map(([id]) => id);
      const held = new Set(await this.o.store.renewLeases(this.owner, ids, this.ttl));
      for (const id of ids) {
        if (held.has(id)) continue;
        const a = this.actors.get(id);
        a?.stop();
        this.actors.delete(id);
      }
    } catch (err) {
      this.log('lease renewal failed', err);
    }
  }

  /** Run ids this process currently executes. */
  ownedRuns(): string[] {
    return [...this.actors.keys()];
  }
}

export type { RunRecord };
