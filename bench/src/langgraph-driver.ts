import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pg from 'pg';
import { Annotation, END, MemorySaver, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type { Shape } from './workloads.ts';
import { epochMs } from './stats.ts';

/** Which LangGraph.js checkpointer a peer uses. */
export type LangGraphSaver = 'memory' | 'postgres';

/**
 * LangGraph's durability mode: `async` (its default: the checkpoint of a step is written while the next step runs)
 * or `sync` (written before the next step starts, the guarantee llmctl gives on every commit).
 */
export type LangGraphDurability = 'async' | 'sync';

/**
 * The state every benchmark graph uses: `last` (the latest node output, overwritten: a chain does not accumulate),
 * `branches` (fan-out branch outputs merged by node id, so the join sees every upstream output as an llmctl join
 * does), `iteration` (the loop counter).
 */
const BenchState = Annotation.Root({
  input: Annotation<unknown>(),
  last: Annotation<unknown>({ reducer: (_a, b) => b, default: () => null }),
  branches: Annotation<Record<string, unknown>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  iteration: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
});
type S = typeof BenchState.State;

const OUTPUT = { ok: true };

/** What the benchmark calls on a compiled LangGraph graph. */
export interface CompiledBenchGraph {
  invoke(input: unknown, config: Record<string, unknown>): Promise<S>;
}

/** Compiles the LangGraph version of a shape: every work node is an instant function returning `{ ok: true }`. */
export function langGraphFor(shape: Shape, checkpointer: BaseCheckpointSaver, forward = false): CompiledBenchGraph {
  if (shape.kind === 'flow3') return langGraphFor({ kind: 'chain', nodes: 3 }, checkpointer, forward);
  // The builder's node-name typing is static; benchmark graphs are built from generated names.
  const g = new StateGraph(BenchState) as unknown as {
    addNode(name: string, fn: (s: S) => Promise<Partial<S>>): void;
    addEdge(from: string | string[], to: string): void;
    addConditionalEdges(from: string, fn: (s: S) => string, ends?: string[]): void;
    compile(o: { checkpointer: BaseCheckpointSaver }): CompiledBenchGraph;
  };
  // `forward`: every node outputs what it received (the run input first), like llmctl's pass-through nodes.
  const instant = forward ? async (s: S): Promise<Partial<S>> => ({ last: s.last ?? s.input }) : async (): Promise<Partial<S>> => ({ last: OUTPUT });
  switch (shape.kind) {
    case 'chain': {
      let prev = START as string;
      for (let i = 1; i <= shape.nodes; i++) {
        g.addNode(`n${i}`, instant);
        g.addEdge(prev, `n${i}`);
        prev = `n${i}`;
      }
      g.addEdge(prev, END);
      break;
    }
    case 'fanout': {
      // One edge per branch into the join: every branch runs in the same superstep, so the join runs once, after all
      // of them (a wait-for-all join). The list form `addEdge([m1 … mN], 'join')` names its barrier channel after
      // every source, and at N = 1,000 that name overflows PostgresSaver's checkpoint_blobs primary key (a btree
      // row over 2,704 bytes), so the list form cannot run this workload on PostgreSQL.
      g.addNode('src', instant);
      g.addEdge(START, 'src');
      for (let i = 1; i <= shape.width; i++) {
        const id = `m${i}`;
        g.addNode(id, async () => ({ branches: { [id]: OUTPUT } }));
        g.addEdge('src', id);
        g.addEdge(id, 'join');
      }
      g.addNode('join', async (s) => ({ last: { ok: Object.keys(s.branches).length === shape.width } }));
      g.addEdge('join', END);
      break;
    }
    case 'loop': {
      g.addNode('head', instant);
      g.addNode('check', async (s) => ({ iteration: s.iteration + 1 }));
      g.addEdge(START, 'head');
      g.addEdge('head', 'check');
      g.addConditionalEdges('check', (s) => (s.iteration < shape.iterations ? 'head' : END), ['head', END]);
      break;
    }
  }
  return g.compile({ checkpointer });
}

/** Supersteps a shape needs (LangGraph's recursion limit counts them). */
function stepsOf(shape: Shape): number {
  return shape.kind === 'chain' ? shape.nodes + 5 : shape.kind === 'fanout' ? 10 : shape.kind === 'loop' ? shape.iterations * 2 + 10 : 10;
}

/** A LangGraph.js peer: graphs compiled against one checkpointer. */
export class LangGraphDriver {
  private constructor(
    readonly saver: LangGraphSaver,
    readonly durability: LangGraphDurability,
    private readonly checkpointer: BaseCheckpointSaver,
    private readonly pool: pg.Pool | null,
  ) {}

  /** `memory`: MemorySaver. `postgres`: PostgresSaver on `url` (tables created by its `setup()`), pool of `poolMax`. */
  static async open(saver: LangGraphSaver, o: { url?: string; poolMax?: number; durability?: LangGraphDurability } = {}): Promise<LangGraphDriver> {
    const durability = o.durability ?? 'async';
    // LangGraph adds one abort listener per running task to a shared signal: wide fan-outs trip Node's leak warning.
    setMaxListeners(0);
    if (saver === 'memory') return new LangGraphDriver(saver, durability, new MemorySaver(), null);
    if (!o.url) throw new Error('the PostgreSQL checkpointer needs a database url');
    const pool = new pg.Pool({ connectionString: o.url, max: o.poolMax ?? 10 });
    const cp = new PostgresSaver(pool);
    await cp.setup();
    return new LangGraphDriver(saver, durability, cp, pool);
  }

  /** Label for tables: `LangGraph.js + PostgresSaver (sync)`. */
  get label(): string {
    return this.saver === 'memory' ? 'LangGraph.js + MemorySaver' : `LangGraph.js + PostgresSaver (${this.durability})`;
  }

  /** The compiled graph of a shape (compile once, invoke many times); `forward` passes each node's input on. */
  compile(shape: Shape, forward = false): (input?: unknown) => Promise<number> {
    const graph = langGraphFor(shape, this.checkpointer, forward);
    const recursionLimit = stepsOf(shape);
    return async (input: unknown = { bench: true }) => {
      const t0 = epochMs();
      const out = await graph.invoke({ input }, { configurable: { thread_id: randomUUID() }, recursionLimit, durability: this.durability });
      if (shape.kind === 'loop' && out.iteration !== shape.iterations) throw new Error(`LangGraph loop ran ${out.iteration} iterations`);
      if (shape.kind === 'fanout' && (out.last as { ok?: boolean } | null)?.ok !== true) throw new Error('LangGraph join did not see every branch');
      return epochMs() - t0;
    };
  }

  /** Drops the in-memory checkpoints (MemorySaver keeps every thread forever). */
  reset(): void {
    if (this.checkpointer instanceof MemorySaver) {
      this.checkpointer.storage = {};
      this.checkpointer.writes = {};
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}
