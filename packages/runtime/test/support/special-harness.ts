/**
 * An orchestrator on the in-memory run store with every handler a flowchart needs — start, end, task, decision and
 * the special nodes — on in-memory tool ports, scripted models, a tool gateway (per-run workspaces in a temporary
 * directory) and counters of the store writes, so tests can prove a side effect happened exactly once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FlowchartDocument } from '@llmctl/contracts';
import { createProvider } from '@llmctl/providers';
import {
  InMemoryArtifactSink, InMemoryAuditSink, InMemoryMemoryStore, InMemoryMilestoneStore, InMemoryPlanStore, InMemoryRagStore, InMemoryToolLedger,
  createToolPort, createToolRegistry, type ToolStores,
} from '@llmctl/tools';
import type { ModelCallRecord, NodeHandlers, TaskDeps, ToolGateway, TransientEvent } from '../../src/index.ts';
import {
  EventBus, InMemoryRunStore, Orchestrator, artifactEventPublisher, createToolGateway, decisionHandler, endHandler, nodeRunView,
  specialHandlers, startHandler, taskHandler,
} from '../../src/index.ts';

/** Counts of store writes (the side effects of the special tools). */
export interface WriteCounts {
  memory_add: number;
  plan_update: number;
  milestone_update: number;
  rag_search: number;
}

function counted(stores: ToolStores, counts: WriteCounts): ToolStores {
  return {
    memory: { add: (m) => ((counts.memory_add += 1), stores.memory.add(m)), search: (q) => stores.memory.search(q), list: (f) => stores.memory.list(f) },
    plan: { get: (r, k) => stores.plan.get(r, k), update: (r, k, f) => ((counts.plan_update += 1), stores.plan.update(r, k, f)), list: (f) => stores.plan.list(f) },
    milestone: {
      get: (r, k) => stores.milestone.get(r, k),
      update: (r, k, f) => ((counts.milestone_update += 1), stores.milestone.update(r, k, f)),
      list: (f) => stores.milestone.list(f),
    },
    rag: {
      createCollection: (i) => stores.rag.createCollection(i),
      findCollection: (i) => stores.rag.findCollection(i),
      listCollections: () => stores.rag.listCollections(),
      addDocument: (i) => stores.rag.addDocument(i),
      search: (q) => ((counts.rag_search += 1), stores.rag.search(q)),
    },
  };
}

export interface SpecialHarness {
  orch: Orchestrator;
  store: InMemoryRunStore;
  stores: ToolStores;
  counts: WriteCounts;
  ledger: InMemoryToolLedger;
  audit: InMemoryAuditSink;
  artifacts: InMemoryArtifactSink;
  /** Unsequenced events published on the bus (artifact events among them). */
  transient: TransientEvent[];
  calls: ModelCallRecord[];
  workspaces: string;
  /** Registers a scripted model. */
  model(name: string, responses: Record<string, unknown>[]): void;
  /** Stores the flowchart under `id` (default a fresh one) and starts a run; resolves with the run id. */
  run(doc: FlowchartDocument, input?: unknown, flowchartId?: string): Promise<string>;
  /** Waits until the run is terminal (or paused). */
  wait(runId: string): Promise<ReturnType<SpecialHarness['view']>>;
  view(runId: string): { status: string; output: unknown; error: { code: string; details: Record<string, unknown> } | null; node_runs: ReturnType<typeof nodeRunView>[] };
  stop(): Promise<void>;
}

/** Options: wrap the gateway (to inject failures) or add handlers. */
export interface SpecialHarnessOptions {
  wrapGateway?: (g: ToolGateway) => ToolGateway;
  handlers?: NodeHandlers;
}

export async function specialHarness(options: SpecialHarnessOptions = {}): Promise<SpecialHarness> {
  const store = new InMemoryRunStore();
  const bus = new EventBus();
  const transient: TransientEvent[] = [];
  bus.onTransient((e) => transient.push(e));
  const counts: WriteCounts = { memory_add: 0, plan_update: 0, milestone_update: 0, rag_search: 0 };
  const raw: ToolStores = { memory: new InMemoryMemoryStore(), plan: new InMemoryPlanStore(), milestone: new InMemoryMilestoneStore(), rag: new InMemoryRagStore() };
  const stores = counted(raw, counts);
  const ledger = new InMemoryToolLedger();
  const audit = new InMemoryAuditSink();
  const artifacts = new InMemoryArtifactSink();
  const workspaces = mkdtempSync(path.join(tmpdir(), 'llmctl-special-'));
  const base = createToolGateway(createToolPort({
    registry: createToolRegistry({ stores }), ledger, artifacts, audit,
    workspaceDir: (runId) => path.join(workspaces, runId),
    onArtifactPersisted: artifactEventPublisher(bus),
  }));
  const gateway = options.wrapGateway ? options.wrapGateway(base) : base;
  const models = new Map<string, Record<string, unknown>[]>();
  const calls: ModelCallRecord[] = [];
  let n = 0;
  const newId = (p: string): string => `${p}_${(++n).toString().padStart(6, '0')}${randomUUID().slice(0, 4)}`;
  const llm: TaskDeps = {
    newId,
    tools: gateway.agentTools(),
    models: {
      async resolve(name) {
        const responses = models.get(name);
        if (!responses) return null;
        const provider = createProvider({ provider: 'scripted', settings: { responses } });
        return { name, provider: 'scripted', model: 'scripted', chat: (req, opts) => provider.chat(req, opts) };
      },
    },
    calls: {
      async record(c) {
        calls.push(c);
      },
      async countScripted(model, run, node, idx) {
        return calls.filter((c) => c.model_name === model && c.run_id === run && c.node_id === node && c.response_index === idx).length;
      },
    },
  };
  const orch = new Orchestrator({
    store, bus, newId, leaseTtlMs: 60_000, backoffMs: () => 1,
    handlers: {
      start: startHandler, end: endHandler, decision: decisionHandler(llm), task: taskHandler(llm),
      ...specialHandlers({ tools: gateway, llm, plans: stores.plan }),
      ...options.handlers,
    },
  });
  await orch.start();
  const view: SpecialHarness['view'] = (runId) => {
    const r = store.runs.get(runId)!;
    return {
      status: r.status,
      output: r.projection?.output ?? null,
      error: (r.projection?.error as { code: string; details: Record<string, unknown> } | null) ?? null,
      node_runs: [...store.nodeRuns.get(runId)!.values()].sort((a, b) => a.created_order - b.created_order).map(nodeRunView),
    };
  };
  const h: SpecialHarness = {
    orch, store, stores, counts, ledger, audit, artifacts, transient, calls, workspaces, view,
    model(name, responses) {
      models.set(name, responses);
    },
    async run(doc, input = {}, flowchartId) {
      const id = flowchartId ?? `fc_${++n}`;
      store.putFlowchart(id, doc);
      return orch.startRun(id, { input }, { request_id: 'req-test', correlation_id: 'corr-test' });
    },
    wait(runId) {
      const done = ['succeeded', 'failed', 'canceled', 'paused'];
      return new Promise((resolve) => {
        const check = (): boolean => {
          if (!done.includes(store.runs.get(runId)!.status)) return false;
          off();
          setImmediate(() => resolve(view(runId)));
          return true;
        };
        const off = bus.onEvent((e) => {
          if (e.run_id === runId) check();
        });
        check();
      });
    },
    async stop() {
      await orch.stop();
      rmSync(workspaces, { recursive: true, force: true });
    },
  };
  return h;
}

/** A flowchart from nodes and `a>b` edges (or full edge objects). */
export function chart(nodes: FlowchartDocument['nodes'], edges: (string | Partial<FlowchartDocument['edges'][number]> & { source: string; target: string })[]): FlowchartDocument {
  return {
    schema_version: 1,
    name: 'special nodes',
    nodes,
    edges: edges.map((e, i) => {
      if (typeof e === 'string') {
        const [source, target] = e.split('>') as [string, string];
        return { id: `e${i + 1}`, source, target };
      }
      return { id: `e${i + 1}`, ...e } as FlowchartDocument['edges'][number];
    }),
  };
}
