import type { FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '@llmctl/engine';
import type { Orchestrator, PublishedEvent } from '@llmctl/runtime';
import { FlowchartRepository, ModelRepository, openDatabase, type Database, type PgRunStore } from '@llmctl/store';
import { BENCH_MODEL, BENCH_MODEL_INPUT } from './llmctl-graphs.ts';
import { composeBenchRuntime } from './llmctl-runtime.ts';
import { epochMs } from './stats.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

/** Statements of one kind the llmctl pool ran during a census. */
export interface CensusRow {
  statement: string;
  count: number;
  totalMs: number;
}

/** A readable name for a statement the runtime sends. */
export function statementKind(sql: string): string {
  // Identifiers unquoted (the store's Kysely queries quote them and write keywords in lower case).
  const s = sql.replace(/\s+/g, ' ').replace(/"/g, '').trim();
  if (s.startsWith('WITH r AS ( UPDATE runs SET last_sequence')) return 'run commit (one CTE: run row, events, node runs)';
  // (a run's first commit may create its run row: INSERT arm instead of the fenced UPDATE)
  if (s.startsWith('WITH x AS MATERIALIZED') && (s.includes('UPDATE runs SET last_sequence') || s.includes('INSERT INTO runs'))) return 'run commit (one statement for one or many runs: run rows, events, node runs)';
  if (s.includes('pg_notify')) return 'SELECT pg_notify (after each commit)';
  if (/^select id, name, provider, model/i.test(s) && /from models/i.test(s)) return 'model lookup by name';
  if (s.includes('count(*)') && s.includes('model_calls')) return 'scripted call count (model_calls)';
  if (/^insert into model_calls/i.test(s)) return 'model-call row (INSERT model_calls)';
  return s.length > 70 ? `${s.slice(0, 70)}…` : s;
}

/** How one run ended. */
export interface RunOutcome {
  runId: string;
  status: string;
  /** Start call → terminal event on the bus, ms. */
  ms: number;
}

/**
 * llmctl in-process, durable: the orchestrator on PostgreSQL as `llmctl serve` composes it, driven through
 * `startRun` and the event bus (a run is finished when its terminal `run.status` event is published).
 */
export class LlmctlDriver {
  private readonly waiters = new Map<string, (status: string) => void>();
  private readonly finished = new Map<string, string>();
  private readonly listeners = new Set<(e: PublishedEvent, receivedAt: number) => void>();
  private constructor(
    readonly db: Database,
    readonly orchestrator: Orchestrator,
    /** Where the composition came from: the server's `composeRuntime` or the bench mirror. */
    readonly source: string,
    /** Errors the orchestrator logged (a healthy benchmark has none). */
    readonly errors: string[],
    /** The run store (group-commit counters and limits). */
    readonly store: PgRunStore,
  ) {
    orchestrator.bus.onEvent((e) => {
      const at = epochMs();
      for (const l of this.listeners) l(e, at);
      const p = e.payload as { kind?: string; status?: string };
      if (e.event_type === 'flowchart:run:updated' && p.kind === 'run.status' && p.status && TERMINAL.has(p.status)) {
        const w = this.waiters.get(e.run_id);
        if (w) {
          this.waiters.delete(e.run_id);
          w(p.status);
        } else this.finished.set(e.run_id, p.status);
      }
    });
  }

  /** Opens the (already created) database at `url`, migrates it, registers the scripted model, starts the orchestrator. */
  static async open(url: string, o: { poolMax?: number; snapshotEvery?: number } = {}): Promise<LlmctlDriver> {
    const db = await openDatabase({ databaseUrl: url, poolMax: o.poolMax ?? 10 });
    try {
      const errors: string[] = [];
      const { orchestrator, store, source } = await composeBenchRuntime({
        pool: db.pool, logError: (m, e) => errors.push(`${m}: ${(e as Error)?.message ?? String(e)}`),
        ...(o.snapshotEvery !== undefined ? { snapshotEvery: o.snapshotEvery } : {}),
      });
      const models = new ModelRepository(db.pool);
      if (!(await models.findByName(BENCH_MODEL))) await models.create(BENCH_MODEL_INPUT);
      await orchestrator.start();
      return new LlmctlDriver(db, orchestrator, source, errors, store);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** Validates (save-time rules) and saves a flowchart; returns its id. */
  async save(doc: FlowchartDocument): Promise<string> {
    const v = validateFlowchart(doc, { modelExists: (n) => n === BENCH_MODEL });
    if (!v.valid) throw new Error(`benchmark flowchart is invalid: ${v.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
    const fc = await new FlowchartRepository(this.db.pool).create({ document: doc, warnings: v.warnings });
    return fc.id;
  }

  /** Starts a run and resolves when it is terminal. */
  async run(flowchartId: string, input: unknown = { bench: true }): Promise<RunOutcome> {
    const t0 = epochMs();
    const runId = await this.orchestrator.startRun(flowchartId, { input }, { request_id: null, correlation_id: null });
    const status = await this.waitFor(runId);
    return { runId, status, ms: epochMs() - t0 };
  }

  /** Like `run`, and throws unless the run succeeded. */
  async runOk(flowchartId: string, input?: unknown): Promise<RunOutcome> {
    const r = await this.run(flowchartId, input);
    if (r.status !== 'succeeded') {
      const row = await this.db.pool.query('SELECT error FROM runs WHERE id = $1', [r.runId]);
      throw new Error(`benchmark run ${r.runId} ended ${r.status}: ${JSON.stringify(row.rows[0]?.error)}`);
    }
    return r;
  }

  private waitFor(runId: string): Promise<string> {
    const done = this.finished.get(runId);
    if (done) {
      this.finished.delete(runId);
      return Promise.resolve(done);
    }
    return new Promise((resolve) => this.waiters.set(runId, resolve));
  }

  /** Calls `fn` for every published event with its receive time (epoch ms); returns the unsubscribe. */
  onEvent(fn: (e: PublishedEvent, receivedAt: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Counts and times every statement the llmctl pool runs until the returned function is called. */
  startCensus(): () => CensusRow[] {
    const pool = this.db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const original = pool.query;
    const rows = new Map<string, CensusRow>();
    pool.query = async function census(this: unknown, ...args: unknown[]) {
      const first = args[0];
      const sql = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '');
      const kind = statementKind(sql);
      const t0 = performance.now();
      try {
        return await original.apply(pool, args);
      } finally {
        const r = rows.get(kind) ?? { statement: kind, count: 0, totalMs: 0 };
        r.count += 1;
        r.totalMs += performance.now() - t0;
        rows.set(kind, r);
      }
    };
    return () => {
      delete (pool as { query?: unknown }).query; // back to the prototype's
      if (pool.query !== original) pool.query = original;
      return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs);
    };
  }

  /** Node runs of a run by status (sanity checks). */
  async nodeRunCounts(runId: string): Promise<Record<string, number>> {
    const r = await this.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM node_runs WHERE run_id = $1 GROUP BY status', [runId]);
    return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
  }

  async close(): Promise<void> {
    await this.orchestrator.stop();
    // the LISTEN connection of the cached executor setting (composeBenchRuntime)
    await (this.orchestrator.executor as { stopCachingRuntimeSetting?: () => Promise<void> }).stopCachingRuntimeSetting?.();
    await this.db.close();
  }
}
