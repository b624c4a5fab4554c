import path from 'node:path';
import type pg from 'pg';
import type { FlowchartSettings } from '@llmctl/contracts';
import type { ModelCallRecord, NodeExecutor, NodeHandlers, ToolGateway } from '@llmctl/runtime';
import {
  EventBus, Orchestrator, artifactEventPublisher, retryWhileUnreachable, createToolGateway, decisionHandler, endHandler, inlineExecutor, specialHandlers, startHandler,
  subflowHandler, taskHandler,
} from '@llmctl/runtime';
import { DispatchingExecutor, QueueBackend, type ExecutorBackend } from '@llmctl/executors';
import { ModelRepository, PgModelCallLog, PgRunStore, createPgToolPorts, newId, type PgToolPorts } from '@llmctl/store';
import { createToolRegistry, type CommandToolOptions, type ToolRegistry } from '@llmctl/tools';
import type { CredentialSource, LocalVllmSource } from './model-gateway.ts';
import { RegistryModelGateway } from './model-gateway.ts';
import { kubernetesBackend } from './kubernetes-wiring.ts';
import { createToolPort } from '@llmctl/tools'; // the adapter of the runtime's ToolPort

export interface RuntimeOptions {
  pool: pg.Pool;
  defaults?: Required<FlowchartSettings>;
  credentials?: CredentialSource;
  /** LLMCTL_ALLOWED_BASE_URLS: base URLs that may receive stored provider credentials (see model-gateway.ts). */
  allowedBaseUrls?: readonly string[];
  /** Least events between two snapshots of a run's state (default 500). */
  snapshotEvery?: number;
  leaseTtlMs?: number;
  /** Extra node handlers (special nodes, sub-flowcharts) keyed by node type. */
  handlers?: NodeHandlers;
  logError?: (msg: string, err: unknown) => void;
  /** Observes every recorded model call (metrics). */
  onModelCall?: (call: ModelCallRecord) => void;
  /**
   * Where run workspaces live: `<workspaceRoot>/<run id>` (workspace, git and command tools are confined to it).
   * Pass `<data dir>/workspaces`; default `.llmctl/workspaces` in the working directory (the default data dir).
   */
  workspaceRoot?: string;
  /** The `run_command` tool (omitted: agents cannot run programs; nothing is allowlisted by default). */
  command?: CommandToolOptions;
  /**
   * Executor backends besides inline (executors.md). The queue backend is always available (pg-boss starts on first
   * use); pass `kubernetes` to enable Jobs. `pollMs`: how often waiting queue attempts are re-read and their workers'
   * heartbeats checked (default 1000).
   */
  executors?: { pollMs?: number; kubernetes?: ExecutorBackend };
  /** Starts vLLM for `vllm_local` models in this process (a queue worker of class `vllm`); omitted elsewhere. */
  localVllm?: LocalVllmSource;
}

/** The tool layer of a composed runtime. */
export interface ComposedTools {
  registry: ToolRegistry;
  gateway: ToolGateway;
  ports: PgToolPorts;
}

/** The composition root of the runtime: PostgreSQL adapters, providers and node handlers around one orchestrator. */
export function composeRuntime(o: RuntimeOptions): {
  orchestrator: Orchestrator; store: PgRunStore; calls: PgModelCallLog; models: RegistryModelGateway; tools: ComposedTools;
  /** Runs node work in this process (what a queue worker executes attempts with). */
  inline: NodeExecutor;
  /** The orchestrator's executor: routes each attempt to the backend its commit chose. */
  executor: DispatchingExecutor;
} {
  const store = new PgRunStore(o.pool);
  const calls = new PgModelCallLog(o.pool);
  {
    // A model call already made (and paid for) is recorded even across a short database outage: retried, not failed.
    const record = calls.record.bind(calls);
    const count = calls.countScripted.bind(calls);
    const onUnreachable = (err: unknown): void => o.logError?.('the database is unreachable; retrying a model-call record', err);
    calls.record = (c) => retryWhileUnreachable(() => record(c), { onUnreachable });
    calls.countScripted = (...a) => retryWhileUnreachable(() => count(...a), { onUnreachable });
  }
  if (o.onModelCall) {
    const record = calls.record.bind(calls);
    const observe = o.onModelCall;
    calls.record = async (c) => {
      await record(c);
      observe(c);
    };
    // Records stored with the node's own commit do not pass through `record`.
    calls.observe = observe;
  }
  const models = new RegistryModelGateway(new ModelRepository(o.pool), o.credentials, o.allowedBaseUrls, o.localVllm ? { localVllm: o.localVllm } : {});
  const bus = new EventBus();
  // Tools: PostgreSQL ports, every domain, one gateway for special nodes and agent tool calls (key <node run key>:tool:<i>).
  const ports = createPgToolPorts(o.pool);
  const registry = createToolRegistry({ stores: ports.stores, ...(o.command ? { command: o.command } : {}) });
  const workspaceRoot = path.resolve(o.workspaceRoot ?? path.join('.llmctl', 'workspaces'));
  // The runtime reaches tools only through its ToolPort: this is where the framework's adapter is plugged in.
  const gateway = createToolGateway(createToolPort({
    registry, ledger: ports.ledger, artifacts: ports.artifacts, audit: ports.audit,
    workspaceDir: (runId) => path.join(workspaceRoot, runId.replace(/[^A-Za-z0-9_-]/g, '_')),
    onArtifactPersisted: artifactEventPublisher(bus),
  }));
  const taskDeps = { models, calls, newId, tools: gateway.agentTools() };
  const handlers: NodeHandlers = {
    start: startHandler,
    end: endHandler,
    decision: decisionHandler(taskDeps),
    task: taskHandler(taskDeps),
    flowchart: subflowHandler(() => orchestrator),
    ...specialHandlers({ tools: gateway, llm: taskDeps, plans: ports.stores.plan }),
    ...o.handlers,
  };
  const inline = inlineExecutor(handlers);
  const executor = new DispatchingExecutor({
    pool: o.pool, inline,
    backends: {
      queue: new QueueBackend({ pool: o.pool, ...(o.executors?.pollMs ? { pollMs: o.executors.pollMs } : {}) }),
      kubernetes: o.executors?.kubernetes ?? kubernetesBackend(o.pool, new ModelRepository(o.pool), calls, o.credentials),
    },
  });
  const orchestrator: Orchestrator = new Orchestrator({
    store,
    newId,
    bus,
    executor,
    ...(o.defaults ? { defaults: o.defaults } : {}),
    ...(o.leaseTtlMs ? { leaseTtlMs: o.leaseTtlMs } : {}),
    ...(o.snapshotEvery !== undefined ? { snapshotEvery: o.snapshotEvery } : {}),
    ...(o.logError ? { logError: o.logError } : {}),
    handlers,
  });
  return { orchestrator, store, calls, models, tools: { registry, gateway, ports }, inline, executor };
}
