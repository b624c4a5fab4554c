import { DEFAULT_SNAPSHOT_EVERY, SNAPSHOT_FORMAT, encodeSnapshot, foldLog, snapshotDue } from './fold-log.ts';
import type { ErrorInfo, Warning } from '@llmctl/contracts';
import { LlmctlError, stampEventFormat } from '@llmctl/contracts';
import type { CompiledGraph, EngineEvent, EngineState, NodeRunState } from '@llmctl/engine';
import { applyEvent, conditionsToEvaluate, decide, initialState, selectRouting, triggeringOutput, upstreamOf } from '@llmctl/engine';
import { evaluateConditions } from './conditions.ts';
import type { EventBus, PublishedEvent } from './event-bus.ts';
import type { NodeExecution, NodeResult } from './nodes/node-handler.ts';
import type { NodeExecutor } from './executor.ts';
import type { Commit, ModelCallRecord, NewRun, RunCreation, RunLog, RunRecord } from './ports.ts';
import { FencedError } from './ports.ts';
import { batchWrites, runProjection } from './projection.ts';
import { classifyStoreError, findUnstorable, sqlStateOf, unstorableError } from './storable.ts';
import { retryWhileUnreachable } from './store-retry.ts';
import { eventTypeOf } from '@llmctl/engine';

/** Who asked for a change: travels into the events it causes. */
export interface CommandMeta {
  request_id: string | null;
  correlation_id: string | null;
}

export interface DecisionApi {
  g: CompiledGraph;
  s: EngineState;
  newId: () => string;
  now: string;
}

type Command<T> = {
  run: (d: DecisionApi) => { events: EngineEvent[]; result: T };
  meta: CommandMeta;
  /** Model-call records stored with the commit of this command's batch. */
  modelCalls?: ModelCallRecord[];
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
};

export interface ActorDeps {
  /** The actor only appends to and reads its run's log. */
  store: RunLog;
  bus: EventBus;
  executor: NodeExecutor;
  owner: string;
  newId: (prefix: string) => string;
  clock: () => Date;
  /**
   * Called after a commit leaves the run terminal, paused, or after the actor broke (fenced / store error). A broken
   * actor's `poisoned` map names the node runs whose result can never be committed (they are failed on recovery).
   */
  onSettled: (actor: RunActor, reason: 'terminal' | 'paused' | 'broken') => void;
  /** Called when a commit created a continue-as-new run. */
  onRunCreated: (runId: string) => void;
  /** Backoff before retry attempt n (n ≥ 2) of a node with `backoff_ms`. */
  backoffMs: (n: number, backoffMs: number) => number;
  logError: (msg: string, err: unknown) => void;
  /** Events between two snapshots of the folded state (default {@link DEFAULT_SNAPSHOT_EVERY}; 0 turns them off). */
  snapshotEvery?: number;
  /** The lease time-to-live (sent with each commit: see `Commit.lease`). */
  leaseTtlMs?: number;
}

interface Inflight {
  abort: AbortController;
  startedSeq: number;
}

/** Replaces NUL characters and lone surrogates (which PostgreSQL cannot store) in an error message. */
function storableText(text: string): string {
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Turns anything thrown by a node handler into the node-run error shape. Database errors never leak as raw SQLSTATE
 * codes: a value that cannot be stored is `output_unstorable`, an unreachable database the retryable `unavailable`,
 * anything else `internal`. Messages are made storable.
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  const info = rawErrorInfo(err);
  return { ...info, message: storableText(info.message) };
}

function rawErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof LlmctlError) return err.toInfo();
  const state = sqlStateOf(err);
  // Only errors carrying a SQLSTATE are database errors (a provider's ECONNRESET is not).
  const kind = state ? classifyStoreError(err) : null;
  if (kind === 'unstorable') {
    return unstorableError({ path: '/', reason: /surrogate|type json/i.test(`${(err as Error).message} ${String((err as { detail?: unknown }).detail ?? '')}`) ? 'lone_surrogate' : 'nul_character' }, 'a value (tool result or model answer)');
  }
  if (kind === 'transient') {
    return { code: 'unavailable', message: `the database could not be reached: ${(err as Error).message ?? String(err)}`, details: {}, retryable: true };
  }
  if (state) return { code: 'internal', message: `database error ${state}: ${(err as Error).message}`, details: { sqlstate: state }, retryable: false };
  // A raw socket error reaching here comes from a store port (providers and tools code theirs): retryable, coded.
  const code = (err as { code?: unknown } | null)?.code;
  if ((code === undefined || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) && classifyStoreError(err) === 'transient') {
    return { code: 'unavailable', message: `a backing service could not be reached: ${(err as Error).message ?? String(err)}`, details: {}, retryable: true };
  }
  const e = err as { code?: unknown; message?: unknown; retryable?: unknown; details?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return { code: e.code, message: e.message, details: (e.details as Record<string, unknown>) ?? {}, retryable: e.retryable === true };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err), details: {}, retryable: false };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * The single writer of one run while this process holds its lease: it serialises commands, folds their events into
 * the in-memory state, commits each batch as one transaction (log + projections, fenced), publishes after commit,
 * and executes the node runs it dispatched.
 */
export class RunActor {
  private pending: Command<unknown>[] = [];
  private flushing = false;
  /** Node runs whose attempt is being worked on and has not handed its outcome to `submit` yet. */
  private readonly working = new Set<string>();
  /**
   * Benchmark switch (`bench/src/fanout-cpu.ts --ab-turn`): false sends a flush at once instead of letting the event
   * loop's turn end while node runs are still working (see `flush`), i.e. the behaviour before. Always true otherwise.
   */
  static shareOneTurn = true;
  private readonly inflight = new Map<string, Inflight>();
  private runtimeTimer: NodeJS.Timeout | null = null;
  /** Log sequence of the last snapshot this actor wrote (0: none yet; a loaded actor writes its first at the next due commit). */
  private lastSnapshotSeq = 0;
  /** Aborted by `stop()`: ends commit retries. */
  private readonly life = new AbortController();
  broken = false;
  /** Node runs whose result could never be committed (an unstorable value): failed, not re-run, on recovery. */
  readonly poisoned = new Map<string, ErrorInfo>();

  private constructor(
    private readonly deps: ActorDeps,
    readonly record: RunRecord,
    readonly graph: CompiledGraph,
    readonly state: EngineState,
    private epoch: number,
  ) {}

  /**
   * The actor of a run this process has just created (empty log, lease taken at creation): nothing to fold. With
   * `create`, the run row does not exist yet: the actor's first commit creates it (`Commit.create`, one statement).
   */
  static created(deps: ActorDeps, record: RunRecord, graph: CompiledGraph, epoch: number, create?: RunCreation): RunActor {
    if (record.last_sequence !== 0) throw new Error(`run ${record.id}: a created run has an empty log, run row says ${record.last_sequence}`);
    const actor = new RunActor(deps, record, graph, initialState(record.id), epoch);
    actor.creation = create ?? null;
    return actor;
  }

  /** The run row this actor's first commit creates; null once that commit went through (or when it was not asked for). */
  private creation: RunCreation | null = null;

  /** True until the commit that creates this actor's run went through (see {@link RunActor.created}). */
  get creating(): boolean {
    return this.creation !== null;
  }

  /** Rebuilds the run state from its latest snapshot and the log after it. */
  static async load(deps: ActorDeps, record: RunRecord, graph: CompiledGraph, epoch: number): Promise<RunActor> {
    const state = await foldLog(deps.store, record.id);
    if (state.seq !== record.last_sequence) throw new Error(`run ${record.id}: log has ${state.seq} events, run row says ${record.last_sequence}`);
    return new RunActor(deps, record, graph, state, epoch);
  }

  get id(): string {
    return this.record.id;
  }

  /** Queues a decision; resolves after its events (and `modelCalls`, stored in the same commit) are committed. */
  submit<T>(run: (d: DecisionApi) => { events: EngineEvent[]; result: T }, meta: CommandMeta = { request_id: null, correlation_id: null }, modelCalls?: ModelCallRecord[]): Promise<T> {
    if (this.broken) {
      this.writeModelCalls(modelCalls);
      return Promise.reject(new LlmctlError('unavailable', `run ${this.id} is being recovered; try again`));
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, meta, resolve, reject, ...(modelCalls && modelCalls.length > 0 ? { modelCalls } : {}) } as Command<unknown>);
      if (!this.flushing) this.flush().catch((err: unknown) => this.breakActor(err));
    });
  }

  /**
   * After recovery: requeue node runs that were running (their attempt was interrupted) and carry on. Node runs in
   * `poisoned` (their result could not be committed by the previous actor) fail with the recorded error instead.
   */
  async recover(poisoned?: ReadonlyMap<string, ErrorInfo>): Promise<void> {
    await this.submit((d) => {
      const events: EngineEvent[] = [];
      if (d.s.status === 'queued' && !d.s.started_at) {
        events.push(...decide.start(d.g, d.s, this.record.input, d.newId, d.now, this.record.continuation ?? 0));
      }
      for (const id of [...d.s.running]) {
        const failure = poisoned?.get(id);
        events.push(...(failure ? decide.failed(d.g, d.s, id, failure, d.now) : decide.requeue(d.g, d.s, id, 'interrupted', d.now)));
      }
      if (d.s.status === 'canceling') {
        // a cancel that did not finish: finish it
        events.push({ kind: 'run.status', status: 'canceled', from: 'canceling', at: d.now });
        applyEvent(d.s, events[events.length - 1]!);
      }
      events.push(...decide.settle(d.g, d.s, d.newId, d.now));
      return { events, result: undefined };
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.broken) {
        if (this.working.size > 0 && RunActor.shareOneTurn) {
          // Node runs started by one commit usually end their work in the same turn of the event loop: let that turn
          // finish, so their outcomes share this commit (up to max_parallel_nodes of them) instead of the first one
          // going alone. One turn at most: work that waits on I/O is not waited for.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.broken) return;
        }
        const batch = this.pending.splice(0);
        const expected = this.state.seq;
        const now = this.deps.clock().toISOString();
        const api: DecisionApi = { g: this.graph, s: this.state, newId: () => this.deps.newId('nr'), now };
        const events: { payload: EngineEvent; meta: CommandMeta }[] = [];
        const outcomes: { ok: boolean; value: unknown }[] = [];
        let diverged = false;
        for (const cmd of batch) {
          const before = this.state.seq;
          try {
            const r = cmd.run(api);
            for (const e of r.events) events.push({ payload: e, meta: cmd.meta });
            outcomes.push({ ok: true, value: r.result });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
            // A decision that throws must do so before it emits; if it did not, memory is ahead of the log.
            if (this.state.seq !== before) diverged = true;
          }
        }
        const modelCalls = batch.flatMap((cmd) => cmd.modelCalls ?? []);
        if (diverged) {
          this.writeModelCalls(modelCalls);
          const err = new Error(`run ${this.id}: a refused decision had already changed the state; reloading from the log`);
          this.breakActor(err);
          batch.forEach((cmd, i) => cmd.reject(outcomes[i]!.ok ? err : outcomes[i]!.value));
          return;
        }
        const d = decide.dispatch(this.graph, this.state, api.newId, now);
        const lastMeta = batch[batch.length - 1]!.meta;
        for (const e of d.events) events.push({ payload: e, meta: lastMeta });
        // (no await unless there is an instant node: the commit below keeps its place in the microtask order)
        const started = d.started.some((id) => this.isInstant(id))
          ? await this.settleInstantNodes(d.started, api, (e) => events.push({ payload: e, meta: lastMeta }))
          : d.started;
        if (events.length === 0) this.writeModelCalls(modelCalls);
        else {
          try {
            await this.commitDurably(expected, events, modelCalls);
          } catch (err) {
            this.writeModelCalls(modelCalls);
            const kind = classifyStoreError(err);
            if (this.life.signal.aborted) {
              for (const cmd of batch) cmd.reject(new LlmctlError('unavailable', `run ${this.id} is being recovered; try again`));
              return;
            }
            if (kind === 'unstorable' || kind === 'permanent') this.poison(events.map((e) => e.payload), err, kind);
            this.breakActor(err);
            const found = kind === 'unstorable' ? findUnstorable(events.map((e) => e.payload)) : null;
            const rejection = err instanceof FencedError ? new LlmctlError('conflict', err.message)
              : kind === 'unstorable' ? new LlmctlError('validation_failed', unstorableError(found ?? { path: '/', reason: 'nul_character' }, 'a value').message, { reason: found?.reason ?? null })
                : err;
            for (const cmd of batch) cmd.reject(rejection);
            return;
          }
        }
        batch.forEach((cmd, i) => (outcomes[i]!.ok ? cmd.resolve(outcomes[i]!.value) : cmd.reject(outcomes[i]!.value)));
        this.afterCommit(started);
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Start and end nodes only pass a value on (their handlers are pure and run in the owner): the outcome of such a node
   * run goes into the same commit that starts it, with whatever that outcome starts in turn, so a run's start is one
   * commit instead of two and its end rides on the last node's outcome commit. Nothing runs before a commit that could
   * not run again: if the commit fails, the work is simply redone from the log. A node run whose handler or routing
   * fails here stays started and runs the usual way after the commit. Returns the node runs left to execute.
   */
  private async settleInstantNodes(started: string[], api: DecisionApi, emit: (e: EngineEvent) => void): Promise<string[]> {
    const rest: string[] = [];
    let queue = started;
    for (let round = 0; queue.length > 0 && round < 100; round++) {
      let settled = false;
      for (const id of queue) {
        const nr = this.state.node_runs[id];
        const events = nr && this.isInstant(id) ? await this.instantOutcome(nr, api) : null;
        if (!events) rest.push(id);
        else {
          events.forEach(emit);
          settled = true;
        }
      }
      queue = [];
      if (!settled) break;
      const d = decide.dispatch(this.graph, this.state, api.newId, api.now);
      d.events.forEach(emit);
      queue = d.started;
    }
    rest.push(...queue);
    return rest.filter((id) => this.state.node_runs[id]?.status === 'running');
  }

  /** A start or end node run: its work only passes a value on. */
  private isInstant(nodeRunId: string): boolean {
    const t = this.state.node_runs[nodeRunId]?.node_type;
    return t === 'start' || t === 'end';
  }

  /** The events of an instant node run's success (already folded), or null to run it the usual way. */
  private async instantOutcome(nr: NodeRunState, api: DecisionApi): Promise<EngineEvent[] | null> {
    if (nr.status !== 'running' || nr.attempts.length !== 1) return null;
    const startedSeq = nr.started_seq;
    try {
      const warnings: Warning[] = [];
      const result = await this.deps.executor.execute(this.executionOf(nr, 1, new AbortController().signal, warnings));
      const routing = await this.computeRouting(nr, result);
      const allWarnings = [...warnings, ...(result.warnings ?? [])];
      if (!routing.ok || result.model_calls?.length || findUnstorable({ output: result.output, warnings: allWarnings, usage: result.usage ?? null })) return null;
      if (this.broken || nr.status !== 'running' || nr.started_seq !== startedSeq) return null;
      return decide.succeeded(this.graph, this.state, nr.id, {
        output: result.output, routing: routing.routing, fallback_used: result.fallback_used, degraded_reason: result.degraded_reason,
        warnings: allWarnings, usage: result.usage ?? null, terminate: result.terminate,
      }, api.newId, api.now);
    } catch {
      return null;
    }
  }

  /** What the executor gets for attempt `n` of a node run. */
  private executionOf(nr: NodeRunState, n: number, signal: AbortSignal, warnings: Warning[]): NodeExecution {
    return {
      run: { id: this.id, flowchart_id: this.record.flowchart_id, flowchart_version: this.record.flowchart_version, input: this.state.input, started_at: this.state.started_at, correlation_id: this.record.correlation_id, request_id: this.record.request_id },
      graph: this.graph, node: this.graph.nodes.get(nr.node_id)!, nodeRun: nr, scope: this.scopeFor(nr), triggering: triggeringOutput(this.graph, nr), attempt: n,
      signal,
      emitToken: (delta) => this.deps.bus.publishTransient({ event_type: 'flowchart:node:token', run_id: this.id, flowchart_id: this.record.flowchart_id, payload: { node_run_id: nr.id, node_id: nr.node_id, delta }, correlation_id: this.record.correlation_id, request_id: this.record.request_id }),
      warn: (w) => warnings.push(w),
      modelCallsInCommit: this.deps.store.recordModelCalls !== undefined,
    };
  }

  /**
   * Commits, retrying with backoff (100 ms doubling to 5 s) while the store is unreachable: nothing is published
   * before the commit succeeds, and the in-memory state (already folded) stays the one being committed. Any other
   * failure, or `stop()`, ends the retries.
   */
  private async commitDurably(expected: number, events: { payload: EngineEvent; meta: CommandMeta }[], modelCalls: ModelCallRecord[]): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        await this.commit(expected, events, modelCalls);
        if (n > 0) this.deps.logError(`run ${this.id}: the database is back; the commit went through after ${n} retries`, null);
        return;
      } catch (err) {
        if (classifyStoreError(err) !== 'transient' || this.life.signal.aborted) throw err;
        if (n === 0) this.deps.logError(`run ${this.id}: the database is unreachable; retrying the commit with backoff`, err);
        await sleep(Math.min(5000, 100 * 2 ** Math.min(n, 6)), this.life.signal);
        if (this.life.signal.aborted) throw err;
      }
    }
  }

  /** Records the node runs whose result was in a batch that can never be committed. */
  private poison(payloads: EngineEvent[], err: unknown, kind: 'unstorable' | 'permanent'): void {
    const found = kind === 'unstorable' ? findUnstorable(payloads) : null;
    for (const e of payloads) {
      if (e.kind !== 'node.succeeded' && e.kind !== 'node.failed' && e.kind !== 'node.attempt_failed') continue;
      this.poisoned.set(e.node_run_id, kind === 'unstorable'
        ? unstorableError(found ?? { path: '/', reason: 'nul_character' }, `the result of node run ${e.node_run_id}`)
        : { code: 'internal', message: storableText(`the result of node run ${e.node_run_id} could not be committed: ${err instanceof Error ? err.message : String(err)}`), details: { sqlstate: sqlStateOf(err) }, retryable: false });
    }
  }

  /**
   * Model-call records whose commit did not happen (nothing to commit, the commit failed, the actor broke): stored on
   * their own, in the background, so a call that was made stays recorded.
   */
  private writeModelCalls(calls: ModelCallRecord[] | undefined): void {
    const store = this.deps.store;
    if (!calls || calls.length === 0 || !store.recordModelCalls) return;
    retryWhileUnreachable(() => store.recordModelCalls!(calls), { maxMs: 60_000 })
      .catch((err: unknown) => this.deps.logError(`run ${this.id}: ${calls.length} model-call record(s) could not be stored`, err));
  }

  private async commit(expected: number, events: { payload: EngineEvent; meta: CommandMeta }[], modelCalls: ModelCallRecord[] = []): Promise<void> {
    const s = this.state;
    const payloads = events.map((e) => e.payload);
    const writes = batchWrites(s, payloads);
    const commit: Commit = {
      run_id: s.run_id, expected_sequence: expected, lease: { owner: this.deps.owner, epoch: this.epoch, ...(this.deps.leaseTtlMs ? { ttl_ms: this.deps.leaseTtlMs } : {}) },
      events: events.map((e, i) => ({
        sequence: expected + i + 1, event_id: this.deps.newId('ev'), event_type: eventTypeOf(e.payload), payload: stampEventFormat(e.payload),
        request_id: e.meta.request_id ?? this.record.request_id, correlation_id: e.meta.correlation_id ?? this.record.correlation_id,
      })),
      node_runs: writes.node_runs,
      sources: s.node_runs,
      writes: { snapshot: writes.snapshot, output: writes.output, run_input: writes.run_input },
      run: runProjection(s),
    };
    const every = this.deps.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    // `order` lists every node run once (no O(node runs) key listing per commit)
    const snapshot = snapshotDue(this.lastSnapshotSeq, s.seq, every, s.order.length);
    if (snapshot) commit.snapshot = { sequence: s.seq, format: SNAPSHOT_FORMAT, state_json: encodeSnapshot(s) };
    if (modelCalls.length > 0) commit.model_calls = modelCalls;
    if (this.creation) commit.create = this.creation;
    const can = payloads.find((e) => e.kind === 'run.status' && e.continue_as_new);
    let newRun: NewRun | null = null;
    if (can && can.kind === 'run.status' && can.continue_as_new) {
      newRun = {
        id: this.deps.newId('run'), flowchart_id: this.record.flowchart_id, flowchart_version: this.record.flowchart_version,
        input: can.continue_as_new.input, continued_from: s.run_id, continuation: (this.record.continuation ?? 0) + 1, parent_run_id: this.record.parent_run_id,
        parent_node_run_id: this.record.parent_node_run_id, request_id: this.record.request_id, correlation_id: this.record.correlation_id,
      };
      commit.new_runs = [newRun];
      commit.run.continued_to = newRun.id;
      this.record.continued_to = newRun.id;
    }
    await this.deps.store.commit(commit);
    this.creation = null;
    if (snapshot) this.lastSnapshotSeq = s.seq;
    this.record.last_sequence = s.seq;
    const createdAt = new Date().toISOString();
    // fields listed, not `{ ...e, … }` (V8's spread-then-add is ~20× slower; once per event)
    const flowchartId = this.record.flowchart_id;
    this.deps.bus.publish(commit.events.map((e): PublishedEvent => ({
      sequence: e.sequence, event_id: e.event_id, event_type: e.event_type, payload: e.payload, request_id: e.request_id, correlation_id: e.correlation_id,
      run_id: s.run_id, flowchart_id: flowchartId, created_at: createdAt,
    })));
    if (newRun) this.deps.onRunCreated(newRun.id);
  }

  /** Aborts work whose node run left `running`, starts newly dispatched work, arms the runtime guardrail. */
  private afterCommit(started: string[]): void {
    for (const [id, f] of this.inflight) {
      const nr = this.state.node_runs[id];
      if (nr && nr.status === 'running' && nr.started_seq === f.startedSeq) continue;
      this.inflight.delete(id);
      // Work that finished by itself (its own success or failure was just committed) has nothing left to stop.
      const finishedItself = !!nr && nr.started_seq === f.startedSeq && (nr.status === 'succeeded' || nr.status === 'failed');
      if (!finishedItself) f.abort.abort(new LlmctlError('interrupted', `node run ${id} was stopped (${nr?.status ?? 'gone'})`));
    }
    for (const id of started) this.execute(id);
    this.armRuntimeGuardrail();
    const st = this.state.status;
    if ((st === 'succeeded' || st === 'failed' || st === 'canceled') && this.pending.length === 0) this.deps.onSettled(this, 'terminal');
    else if (st === 'paused' && this.pending.length === 0) this.deps.onSettled(this, 'paused');
  }

  private armRuntimeGuardrail(): void {
    if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    this.runtimeTimer = null;
    const s = this.state;
    if ((s.status !== 'running' && s.status !== 'pausing') || !s.running_since) return;
    const limitMs = this.graph.settings.max_runtime_minutes * 60_000;
    const used = s.running_ms + (this.deps.clock().getTime() - Date.parse(s.running_since));
    this.runtimeTimer = setTimeout(() => {
      void this.submit((d) => ({
        events: decide.failRun(d.g, d.s, {
          code: 'guardrail_max_runtime', message: `the run exceeded max_runtime_minutes (${this.graph.settings.max_runtime_minutes})`,
          details: { limit_minutes: this.graph.settings.max_runtime_minutes }, retryable: false,
        }, d.now),
        result: undefined,
      })).catch(() => undefined);
    }, Math.max(0, Math.min(limitMs - used, 2 ** 31 - 1)));
    this.runtimeTimer.unref();
  }

  private breakActor(err: unknown): void {
    if (!(err instanceof FencedError)) this.deps.logError(`run ${this.id}: commit failed; the run will be recovered`, err);
    this.broken = true;
    for (const [, f] of this.inflight) f.abort.abort(new LlmctlError('interrupted', 'lease lost'));
    this.inflight.clear();
    if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
    for (const cmd of this.pending.splice(0)) {
      this.writeModelCalls(cmd.modelCalls);
      cmd.reject(new LlmctlError('unavailable', `run ${this.id} is being recovered; try again`));
    }
    this.deps.onSettled(this, 'broken');
  }

  /** Stops everything this actor runs (process shutdown or lease loss); nothing is committed. */
  stop(): void {
    this.broken = true;
    this.life.abort();
    for (const [, f] of this.inflight) f.abort.abort(new LlmctlError('interrupted', 'process stopping'));
    this.inflight.clear();
    if (this.runtimeTimer) clearTimeout(this.runtimeTimer);
  }

  private execute(nodeRunId: string): void {
    const nr = this.state.node_runs[nodeRunId]!;
    const startedSeq = nr.started_seq!;
    const abort = new AbortController();
    this.inflight.set(nodeRunId, { abort, startedSeq });
    this.runAttempts(nr, startedSeq, abort)
      .catch((err: unknown) => {
        // Only a commit of the attempt's outcome can reject here; the actor then broke and recovery takes over.
        if (!this.broken) this.deps.logError(`run ${this.id}: node run ${nodeRunId} could not record its outcome`, err);
      })
      .finally(() => {
        if (this.inflight.get(nodeRunId)?.abort === abort) this.inflight.delete(nodeRunId);
      });
  }

  private stillMine(nodeRunId: string, startedSeq: number): boolean {
    const nr = this.state.node_runs[nodeRunId];
    return !!nr && nr.status === 'running' && nr.started_seq === startedSeq && !this.broken;
  }

  private async runAttempts(nr: NodeRunState, startedSeq: number, abort: AbortController): Promise<void> {
    const node = this.graph.nodes.get(nr.node_id)!;
    const maxAttempts = Math.max(1, node.retry?.max_attempts ?? 1);
    const backoff = node.retry?.backoff_ms ?? 0;
    // An outcome (`done`, the default) ends the attempt's work: see `working`.
    const guarded = <T>(fn: (d: DecisionApi) => { events: EngineEvent[]; result: T }, modelCalls?: ModelCallRecord[], done = true): Promise<T> => {
      if (done) this.working.delete(nr.id);
      return this.submit((d) => (this.stillMine(nr.id, startedSeq) ? fn(d) : { events: [], result: undefined as T }), undefined, modelCalls);
    };
    // Model-call records a handler handed back (see NodeExecution.modelCallsInCommit): they ride on the attempt's
    // outcome commit, whichever it is; `takeCalls` hands them out once.
    let attemptCalls: ModelCallRecord[] = [];
    const takeCalls = (): ModelCallRecord[] => attemptCalls.splice(0);
    for (;;) {
      const n = nr.attempts[nr.attempts.length - 1]?.n ?? 1;
      // An attempt gets its own controller only when its timeout may stop it alone; otherwise the node run's signal.
      const attemptAbort = node.timeout_s ? new AbortController() : null;
      const onOuter = attemptAbort ? (): void => attemptAbort.abort(abort.signal.reason) : null;
      if (onOuter) abort.signal.addEventListener('abort', onOuter);
      let timer: NodeJS.Timeout | null = null;
      this.working.add(nr.id);
      try {
        const warnings: Warning[] = [];
        const work = this.deps.executor.execute(Object.assign(this.executionOf(nr, n, attemptAbort?.signal ?? abort.signal, warnings), {
          record: (fn: (s: EngineState, now: string) => EngineEvent[]) => guarded((d) => ({ events: fn(d.s, d.now), result: undefined }), undefined, false),
        }));
        const result: NodeResult = node.timeout_s
          ? await Promise.race([
              work,
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => {
                  const err = new LlmctlError('node_timeout', `attempt ${n} of ${nr.node_id} ran over timeout_s (${node.timeout_s})`, { timeout_s: node.timeout_s }, true);
                  // Work that still finishes after its timeout keeps its model calls recorded.
                  work.then((r) => this.writeModelCalls(r.model_calls), () => undefined);
                  attemptAbort!.abort(err);
                  reject(err);
                }, node.timeout_s! * 1000);
              }),
            ])
          : await work;
        attemptCalls = result.model_calls ?? [];
        if (abort.signal.aborted) {
          this.writeModelCalls(takeCalls());
          return;
        }
        const routing = await this.computeRouting(nr, result);
        const allWarnings = [...warnings, ...(result.warnings ?? [])];
        if (!routing.ok) {
          await guarded((d) => ({ events: decide.failed(d.g, d.s, nr.id, routing.error, d.now, allWarnings), result: undefined }), takeCalls());
          return;
        }
        const output = node.type === 'decision' ? Object.assign({}, routing.routing, { value: result.output }) : result.output;
        // A value PostgreSQL cannot store would fail every commit: fail the attempt, coded and non-retryable.
        const bad = findUnstorable({ output, warnings: allWarnings, usage: result.usage ?? null });
        if (bad) {
          const e = unstorableError(bad);
          throw new LlmctlError('output_unstorable', e.message, e.details, false);
        }
        await guarded((d) => ({
          events: decide.succeeded(d.g, d.s, nr.id, {
            output, routing: routing.routing, fallback_used: result.fallback_used, degraded_reason: result.degraded_reason,
            warnings: allWarnings, usage: result.usage ?? null, terminate: result.terminate,
          }, d.newId, d.now),
          result: undefined,
        }), takeCalls());
        return;
      } catch (err) {
        if (abort.signal.aborted) {
          this.writeModelCalls(takeCalls());
          return; // whoever stopped the node run already recorded why
        }
        const info = toErrorInfo(err);
        if (info.code === 'worker_lost') {
          // The executor died mid-attempt: the attempt ends interrupted (not counted) and the node run runs again
          // under the same idempotency key (executors.md "Dispatch contract").
          await guarded((d) => ({ events: decide.requeue(d.g, d.s, nr.id, 'worker_lost', d.now), result: undefined }), takeCalls());
          return;
        }
        if (info.code === 'unavailable') {
          // The database went away under the attempt (a store port failed): like a crash, the attempt ends
          // interrupted (not counted against retry.max_attempts) and runs again once the requeue could be committed,
          // i.e. once the database is back (runtime-semantics.md "Values that cannot be stored and commit failures").
          await guarded((d) => ({ events: decide.requeue(d.g, d.s, nr.id, 'database_unreachable', d.now), result: undefined }), takeCalls());
          return;
        }
        if (info.retryable && n < maxAttempts) {
          await guarded((d) => ({ events: decide.attemptFailed(d.g, d.s, nr.id, n, info, d.now), result: undefined }), takeCalls());
          const retryAfter = typeof info.details.retry_after_ms === 'number' ? info.details.retry_after_ms : 0;
          await sleep(Math.max(retryAfter, this.deps.backoffMs(n + 1, backoff)), abort.signal);
          if (!this.stillMine(nr.id, startedSeq)) return;
          await guarded((d) => ({ events: decide.attemptStarted(d.g, d.s, nr.id, n + 1, d.now), result: undefined }));
          if (!this.stillMine(nr.id, startedSeq)) return;
          continue;
        }
        await guarded((d) => ({ events: decide.failed(d.g, d.s, nr.id, info, d.now), result: undefined }), takeCalls());
        return;
      } finally {
        this.working.delete(nr.id);
        if (timer) clearTimeout(timer);
        if (onOuter) abort.signal.removeEventListener('abort', onOuter);
      }
    }
  }

  /** Template / condition scope of a node run. */
  scopeFor(nr: NodeRunState): Record<string, unknown> & { input: unknown } {
    return {
      input: this.state.input,
      upstream: upstreamOf(nr),
      context: nr.context ?? {},
      node: { id: nr.node_id, iteration: nr.iteration },
      run: { id: this.id, started_at: this.state.started_at, continuation: this.state.continuation },
    };
  }

  /** Evaluates the node's conditions (asynchronously, time-boxed) and selects its connectors. */
  async computeRouting(nr: NodeRunState, result: { output: unknown; choice?: NodeResult['choice'] }) {
    const list = conditionsToEvaluate(this.graph, nr.node_id);
    // nothing to evaluate (unconditional connectors): no scope to build
    if (list.length === 0) return selectRouting(this.graph, nr.node_id, [], result.choice);
    const base = this.scopeFor(nr);
    const scope = { output: result.output, input: base.input, context: base.context, upstream: base.upstream, node: base.node, run: base.run };
    const results = list.length > 0 ? await evaluateConditions(list, scope) : [];
    return selectRouting(this.graph, nr.node_id, results, result.choice);
  }
}
