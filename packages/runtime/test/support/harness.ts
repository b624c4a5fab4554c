import { randomUUID } from 'node:crypto';
import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { NodeHandlers, PublishedEvent } from '../../src/index.ts';
import { InMemoryRunStore, Orchestrator, deterministicDecisionHandler, endHandler, startHandler } from '../../src/index.ts';
import type { NodeResult, NodeExecution } from '../../src/index.ts';

/** A `task`-like handler for engine tests: output from `config.output` (a function of the execution) or the triggering output. */
export type TestBehaviour = (x: NodeExecution) => Promise<NodeResult> | NodeResult;

export function flow(nodes: (Partial<FlowchartNode> & { id: string })[], edges: (string | Partial<FlowchartEdge> & { source: string; target: string })[], settings?: FlowchartDocument['settings']): FlowchartDocument {
  return {
    schema_version: 1,
    name: 'test',
    ...(settings ? { settings } : {}),
    nodes: nodes.map((n) => ({ type: 'task', ...n }) as FlowchartNode),
    edges: edges.map((e, i) => {
      if (typeof e === 'string') {
        const [source, target] = e.split('>') as [string, string];
        return { id: `e${i + 1}`, source, target };
      }
      return { id: `e${i + 1}`, ...e } as FlowchartEdge;
    }),
  };
}

export interface Harness {
  store: InMemoryRunStore;
  orch: Orchestrator;
  events: PublishedEvent[];
  run(doc: FlowchartDocument, input?: unknown): Promise<string>;
  wait(runId: string, statuses?: string[]): Promise<void>;
  status(runId: string): string;
  stop(): Promise<void>;
}

/** An orchestrator on the in-memory store; `task` nodes run `behaviours[node id]` (default: echo the triggering output). */
export async function harness(behaviours: Record<string, TestBehaviour> = {}, extra: NodeHandlers = {}, opts: { snapshotEvery?: number } = {}): Promise<Harness> {
  const store = new InMemoryRunStore();
  const events: PublishedEvent[] = [];
  let n = 0;
  const task = async (x: NodeExecution): Promise<NodeResult> => {
    const b = behaviours[x.node.id];
    return b ? b(x) : { output: x.triggering };
  };
  const orch = new Orchestrator({
    store,
    handlers: { start: startHandler, end: endHandler, decision: async (x) => (behaviours[x.node.id] ? behaviours[x.node.id]!(x) : deterministicDecisionHandler(x)), task, ...extra },
    newId: (p) => `${p}_${++n}_${randomUUID().slice(0, 4)}`,
    leaseTtlMs: 60_000,
    backoffMs: () => 1,
    ...(opts.snapshotEvery !== undefined ? { snapshotEvery: opts.snapshotEvery } : {}),
  });
  orch.bus.onEvent((e) => events.push(e));
  await orch.start();
  const h: Harness = {
    store, orch, events,
    async run(doc, input = {}) {
      const id = `fc_${++n}`;
      store.putFlowchart(id, doc);
      return orch.startRun(id, { input }, { request_id: null, correlation_id: null });
    },
    status(runId) {
      return store.runs.get(runId)!.status;
    },
    wait(runId, statuses = ['succeeded', 'failed', 'canceled']) {
      return new Promise((resolve) => {
        if (statuses.includes(h.status(runId))) return resolve();
        const off = orch.bus.onEvent((e) => {
          if (e.run_id === runId && statuses.includes(h.status(runId))) {
            off();
            setImmediate(resolve);
          }
        });
      });
    },
    async stop() {
      await orch.stop();
    },
  };
  return h;
}

/** Node runs of a run from the store projection, in creation order. */
export function nodeRuns(h: Harness, runId: string) {
  return [...h.store.nodeRuns.get(runId)!.values()].sort((a, b) => a.created_order - b.created_order);
}

export function projection(h: Harness, runId: string) {
  return h.store.runs.get(runId)!.projection!;
}
