import { LangGraphDriver, type LangGraphDurability } from './langgraph-driver.ts';
import { LlmctlDriver } from './llmctl-driver.ts';
import { llmctlDocument } from './llmctl-graphs.ts';
import type { BenchCluster } from './cluster.ts';
import type { NodeVariant, Shape } from './workloads.ts';

/** The engine configurations the benchmark compares. */
export type EngineId = 'llmctl-task' | 'llmctl-pass' | 'langgraph-memory' | 'langgraph-pg-async' | 'langgraph-pg-sync' | 'dbos' | 'raw-commit' | 'restate';

/** Display facts of an engine configuration. */
export interface EngineInfo {
  id: EngineId;
  label: string;
  durable: boolean;
  /** One line on what a work node does. */
  nodes: string;
}

export const ENGINES: Record<EngineId, EngineInfo> = {
  'llmctl-task': { id: 'llmctl-task', label: 'llmctl (durable, scripted task nodes)', durable: true, nodes: 'task node on the scripted provider: model lookup, scripted answer, model-call row' },
  'llmctl-pass': { id: 'llmctl-pass', label: 'llmctl (durable, pass-through nodes)', durable: true, nodes: 'deterministic decision with one fallback connector: no model call' },
  'langgraph-memory': { id: 'langgraph-memory', label: 'LangGraph.js + MemorySaver', durable: false, nodes: 'async function returning { ok: true }' },
  'langgraph-pg-async': { id: 'langgraph-pg-async', label: 'LangGraph.js + PostgresSaver (default async durability)', durable: true, nodes: 'async function returning { ok: true }' },
  'langgraph-pg-sync': { id: 'langgraph-pg-sync', label: 'LangGraph.js + PostgresSaver (sync durability)', durable: true, nodes: 'async function returning { ok: true }' },
  'dbos': { id: 'dbos', label: 'DBOS Transact (durable steps in PostgreSQL)', durable: true, nodes: 'checkpointed step (`DBOS.runStep`) returning { ok: true }; a fan-out runs its steps concurrently (`Promise.all`)' },
  'raw-commit': { id: 'raw-commit', label: 'Raw commit floor (one fsync\'d INSERT + COMMIT per node)', durable: true, nodes: 'one autocommit one-row INSERT; a fan-out commits its branches concurrently on the pool' },
  'restate': { id: 'restate', label: 'Restate (restate-server + TypeScript SDK, own embedded log store)', durable: true, nodes: 'journaled step (`ctx.run`) returning { ok: true }, one service invocation per run through the HTTP ingress; a fan-out awaits its steps with `RestatePromise.all`' },
};

/** Short labels for charts and narrow tables. */
export const SHORT: Record<EngineId, string> = {
  'llmctl-task': 'llmctl task',
  'llmctl-pass': 'llmctl pass-through',
  'langgraph-memory': 'LangGraph memory',
  'langgraph-pg-async': 'LangGraph PG async',
  'langgraph-pg-sync': 'LangGraph PG sync',
  'dbos': 'DBOS',
  'raw-commit': 'raw commit floor',
  'restate': 'Restate',
};

/** Runs one shape on one engine: resolves with the run's wall time in ms. */
export type ShapeRunner = (input?: unknown) => Promise<number>;

/** An opened engine configuration. */
export interface Engine {
  info: EngineInfo;
  prepare(shape: Shape): Promise<ShapeRunner>;
  /** Why this engine does not run `shape` (null when it does). */
  notApplicable?(shape: Shape): string | null;
  /** Frees per-run memory kept between repetitions (MemorySaver checkpoints). */
  reset(): void;
}

/** Opened engines; `close` closes every one of them. */
export interface EngineGroup {
  engines: Engine[];
  /** The llmctl driver, when an llmctl configuration is open (event and footprint measurements use it). */
  llmctl: LlmctlDriver | null;
  close(): Promise<void>;
}

/** Opens the engine configurations of `ids` on the cluster: llmctl and the LangGraph checkpointer get databases of their own. */
export async function openEngines(cluster: BenchCluster, ids: EngineId[], o: { poolMax?: number } = {}): Promise<EngineGroup> {
  const engines: Engine[] = [];
  const closers: (() => Promise<void>)[] = [];
  let llmctl: LlmctlDriver | null = null;
  let lgUrl: string | null = null;
  const close = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    for (const id of ids) {
      if (id === 'dbos' || id === 'raw-commit') {
        // Imported on demand: DBOS loads a large module graph (OpenTelemetry) that other engines' processes do not need.
        const url = (await cluster.database(id === 'dbos' ? 'bench_dbos_' : 'bench_raw_')).url;
        const d = id === 'dbos'
          ? await (await import('./dbos-driver.ts')).DbosDriver.open(url, o)
          : await (await import('./raw-commit-driver.ts')).RawCommitDriver.open(url, o);
        closers.push(() => d.close());
        engines.push({ info: ENGINES[id], prepare: async (shape) => d.compile(shape), reset: () => undefined });
      } else if (id === 'restate') {
        engines.push(await restateEngine(closers));
      } else if (id === 'llmctl-task' || id === 'llmctl-pass') {
        if (!llmctl) {
          const d = await LlmctlDriver.open((await cluster.database('bench_llmctl_')).url, o);
          closers.push(() => d.close());
          llmctl = d;
        }
        engines.push(llmctlEngine(llmctl, id === 'llmctl-task' ? 'task' : 'pass'));
      } else {
        const saver = id === 'langgraph-memory' ? 'memory' : 'postgres';
        if (saver === 'postgres') lgUrl ??= (await cluster.database('bench_langgraph_')).url;
        const durability: LangGraphDurability = id === 'langgraph-pg-sync' ? 'sync' : 'async';
        const d = await LangGraphDriver.open(saver, { url: lgUrl ?? undefined, durability, poolMax: o.poolMax });
        closers.push(() => d.close());
        engines.push({ info: ENGINES[id], prepare: async (shape) => d.compile(shape), reset: () => d.reset() });
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { engines, llmctl, close };
}

/**
 * The Restate peer (restate-driver.ts: its server runs in a loopback-only network namespace). Where that namespace
 * cannot be made, every shape is reported as not applicable with the reason — Restate never runs with network.
 */
async function restateEngine(closers: (() => Promise<void>)[]): Promise<Engine> {
  const { RestateDriver, restateUnavailable } = await import('./restate-driver.ts');
  const why = restateUnavailable();
  if (why) return { info: ENGINES.restate, prepare: () => Promise.reject(new Error(`skipped: ${why}`)), notApplicable: () => `skipped: ${why}`, reset: () => undefined };
  const d = await RestateDriver.open();
  closers.push(() => d.close());
  return { info: ENGINES.restate, prepare: async (shape) => d.compile(shape), reset: () => undefined };
}

/** An llmctl configuration on an open driver (one flowchart per shape, saved once). */
export function llmctlEngine(d: LlmctlDriver, variant: NodeVariant): Engine {
  return {
    info: ENGINES[variant === 'task' ? 'llmctl-task' : 'llmctl-pass'],
    async prepare(shape) {
      const id = await d.save(llmctlDocument(shape, variant));
      return async (input) => (await d.runOk(id, input)).ms;
    },
    notApplicable: (shape) => (variant === 'pass' ? passThroughNotApplicable(shape) : null),
    reset() {},
  };
}

/**
 * A loop cannot be made of pass-through nodes only: its head is a join (entry and back connector), a join's
 * triggering output is the `upstream` object, so a pass-through head forwards `{ check: <previous value> }` and the
 * value nests one level deeper per iteration (runtime.md "What a node sees"). Loops are measured with task nodes.
 */
export function passThroughNotApplicable(shape: Shape): string | null {
  return shape.kind === 'loop' ? 'a pass-through loop nests its value one level per iteration (see findings); loops use task nodes' : null;
}
