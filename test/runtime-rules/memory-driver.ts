import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModelCallRecord } from '@llmctl/runtime';
import {
  InMemoryRunStore, Orchestrator, createToolGateway, decisionHandler, subflowHandler, endHandler, nodeRunView, specialHandlers, startHandler,
  taskHandler,
} from '@llmctl/runtime';
import {
  InMemoryArtifactSink, InMemoryAuditSink, InMemoryMemoryStore, InMemoryMilestoneStore, InMemoryPlanStore, InMemoryRagStore, InMemoryToolLedger,
  createToolPort, createToolRegistry,
} from '@llmctl/tools';
import { createProvider } from '@llmctl/providers';
import type { Run } from '@llmctl/contracts';
import type { RulesDriver, ScriptedModel } from './driver.ts';
import { TERMINAL_OR_PAUSED } from './driver.ts';

/** The runtime-rules driver on the in-memory store (engine + orchestrator, no database, no HTTP). */
export async function memoryDriver(): Promise<RulesDriver> {
  const store = new InMemoryRunStore();
  const models = new Map<string, ScriptedModel>();
  const calls: ModelCallRecord[] = [];
  let n = 0;
  const newId = (p: string): string => `${p}_${(++n).toString().padStart(6, '0')}${randomUUID().slice(0, 4)}`;
  // Special nodes and agent tools on in-memory tool stores; workspaces under a temporary directory removed on close.
  const stores = { memory: new InMemoryMemoryStore(), plan: new InMemoryPlanStore(), milestone: new InMemoryMilestoneStore(), rag: new InMemoryRagStore() };
  const workspaces = mkdtempSync(path.join(tmpdir(), 'llmctl-rules-'));
  const gateway = createToolGateway(createToolPort({
    registry: createToolRegistry({ stores }), ledger: new InMemoryToolLedger(), artifacts: new InMemoryArtifactSink(), audit: new InMemoryAuditSink(),
    workspaceDir: (runId) => path.join(workspaces, runId),
  }));
  const taskDeps: Parameters<typeof taskHandler>[0] = {
    newId,
    tools: gateway.agentTools(),
    models: {
      async resolve(name) {
        const m = models.get(name);
        if (!m) return null;
        const provider = createProvider({ provider: 'scripted', settings: { responses: m.responses } });
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
  const orch: Orchestrator = new Orchestrator({
    store, newId, leaseTtlMs: 60_000, backoffMs: () => 1,
    handlers: { start: startHandler, end: endHandler, decision: decisionHandler(taskDeps), task: taskHandler(taskDeps), flowchart: subflowHandler(() => orch),
      ...specialHandlers({ tools: gateway, llm: taskDeps, plans: stores.plan }) },
  });
  await orch.start();
  const view = (id: string): Run => {
    const r = store.runs.get(id)!;
    const p = r.projection!;
    return {
      id, flowchart_id: r.flowchart_id, flowchart_version: r.flowchart_version, status: r.status, input: p?.input ?? r.input,
      output: p?.output ?? null, error: p?.error ?? null, warnings: p?.warnings ?? [], leftover_tokens: p?.leftover_tokens ?? [],
      continued_from: r.continued_from, continued_to: r.continued_to, continuation: r.continuation, parent_run_id: r.parent_run_id, created_at: '', started_at: p?.started_at ?? null,
      finished_at: p?.finished_at ?? null,
      node_runs: [...store.nodeRuns.get(id)!.values()].sort((a, b) => a.created_order - b.created_order).map(nodeRunView),
    };
  };
  const driver: RulesDriver = {
    async model(m) {
      models.set(m.name, m);
    },
    async flowchart(d) {
      const fc = `fc_${++n}`;
      store.putFlowchart(fc, d);
      return fc;
    },
    async start(d, input = {}) {
      const fc = `fc_${++n}`;
      store.putFlowchart(fc, d);
      return orch.startRun(fc, { input }, { request_id: null, correlation_id: null });
    },
    async get(id) {
      return view(id);
    },
    wait(id, statuses = TERMINAL_OR_PAUSED) {
      return driver.until(id, (r) => statuses.includes(r.status));
    },
    until(id, pred) {
      return new Promise((resolve) => {
        const check = (): boolean => {
          if (!pred(view(id))) return false;
          off();
          setImmediate(() => resolve(view(id)));
          return true;
        };
        const off = orch.bus.onEvent((e) => {
          if (e.run_id === id) check();
        });
        check();
      });
    },
    async control(id, req) {
      try {
        const data = await orch.control(id, req, { request_id: null, correlation_id: null, actor: 'test' });
        return { status: 200, body: { ok: true, data: { run: view(id), ...data } } };
      } catch (err) {
        const e = err as { code?: string; details?: unknown };
        const status = e.code === 'invalid_transition' || e.code === 'conflict' ? 409 : e.code === 'not_found' ? 404 : 400;
        return { status, body: { ok: false, error: { code: e.code ?? 'internal', details: e.details } } };
      }
    },
    async events(id) {
      return (store.events.get(id) ?? []).map((e) => ({ sequence: e.sequence, event_type: e.event_type, payload: e.payload }));
    },
    async modelCalls(id) {
      return calls.filter((c) => c.run_id === id).length;
    },
    async close() {
      await orch.stop();
      rmSync(workspaces, { recursive: true, force: true });
    },
  };
  return driver;
}
