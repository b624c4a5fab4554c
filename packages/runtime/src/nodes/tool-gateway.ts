/**
 * The runtime's port to the tool framework: every tool call of a node run (special nodes and agent tool calls of
 * task nodes) goes through `invokeTool` under the idempotency key `<node run idempotency_key>:tool:<index>`, so a
 * call whose result is recorded in the ledger is never executed again (after a crash, an interrupted attempt or a
 * `retry` control, which keeps the node run's key).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type {
  ArtifactSink, AuditSink, PersistedArtifact, ToolLedger, ToolRegistry, ToolResult, ToolSpan, ToolSpecification,
} from '@llmctl/tools';
import { REPLAY_INPUT_CHANGED, ToolRegistry as Registry, invokeTool } from '@llmctl/tools';
import { LlmctlError } from '@llmctl/contracts';
import type { EventBus } from '../event-bus.ts';
import type { NodeExecution } from './node-handler.ts';
import type { TaskDeps } from './task-handler.ts';

/** The idempotency key of the `index`-th tool call of a node run (runtime.md "Durability"). */
export function toolCallKey(x: Pick<NodeExecution, 'nodeRun'>, index: number): string {
  return `${x.nodeRun.idempotency_key}:tool:${index}`;
}

/** What special-node handlers and the agent loop need from the tool framework. */
export interface ToolGateway {
  /**
   * Invokes tool `name` as the `index`-th tool call of the node run. A tool-level failure is a `failed` result, never
   * a throw; it rejects only when a port (ledger, artifact sink, audit sink) fails.
   */
  invoke(x: NodeExecution, name: string, input: unknown, index: number): Promise<ToolResult>;
  /** Model-facing specs of the named tools (unknown names are skipped). */
  specs(names: readonly string[]): ToolSpecification[];
  /** `TaskDeps.tools` for task nodes: a node may call only the tools its `config.tools` names. */
  agentTools(): NonNullable<TaskDeps['tools']>;
}

/** Options of {@link createToolGateway}. */
export interface ToolGatewayOptions {
  registry: ToolRegistry;
  ledger: ToolLedger;
  artifacts: ArtifactSink;
  audit: AuditSink;
  /**
   * The workspace directory of a run; workspace, git and command tools are confined to it. It is created the first
   * time a tool other than memory / plan / milestone / rag is called in the run.
   */
  workspaceDir: (runId: string) => string;
  /** Called for every artifact a tool call persisted (see {@link artifactEventPublisher}). */
  onArtifactPersisted?: (artifact: PersistedArtifact, x: NodeExecution) => void;
  /** Receives one span per invocation. */
  tracer?: (span: ToolSpan) => void;
}

/** The payload of a `flowchart:node_artifact:persisted` event. */
export interface ArtifactPersistedPayload extends Record<string, unknown> {
  artifact: PersistedArtifact;
  node_id: string;
  node_run_id: string;
  /** `artifact:<id>:<created_at>` (api.md: `<entity>:<id>:<updated_at>` for events outside the run log). */
  idempotency_key: string;
}

/**
 * A `onArtifactPersisted` hook that publishes `flowchart:node_artifact:persisted` on the bus (unsequenced, like token
 * events: it is not part of the run's log). A repeated persist of the same artifact (a tool call interrupted after
 * persisting) publishes the same `idempotency_key` again, so consumers deduplicate it.
 */
export function artifactEventPublisher(bus: EventBus): (artifact: PersistedArtifact, x: NodeExecution) => void {
  return (artifact, x) => {
    const payload: ArtifactPersistedPayload = {
      artifact, node_id: x.node.id, node_run_id: x.nodeRun.id, idempotency_key: `artifact:${artifact.id}:${artifact.created_at}`,
    };
    bus.publishTransient({
      event_type: 'flowchart:node_artifact:persisted', run_id: x.run.id, flowchart_id: x.run.flowchart_id, payload,
      correlation_id: x.run.correlation_id, request_id: x.run.request_id,
    });
  };
}

/** What the model sees of a tool result. */
export function agentToolAnswer(result: ToolResult): Record<string, unknown> {
  return {
    status: result.status,
    output: result.output,
    ...(result.error ? { error: { code: result.error.code, message: result.error.message, details: result.error.details } } : {}),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}

const NO_TOOLS = new Registry();

/** Tools that keep their state in stores, not in the run workspace (no directory is created for them). */
const STATE_TOOLS = new Set(['memory', 'plan', 'milestone', 'rag']);

/** The gateway over a registry and the framework ports. */
export function createToolGateway(o: ToolGatewayOptions): ToolGateway {
  const prepared = new Set<string>();
  const workspace = async (runId: string, tool: string): Promise<string> => {
    const dir = path.resolve(o.workspaceDir(runId));
    if (!STATE_TOOLS.has(tool) && !prepared.has(dir)) {
      await mkdir(dir, { recursive: true });
      if (prepared.size > 10_000) prepared.clear();
      prepared.add(dir);
    }
    return dir;
  };

  const call = async (registry: ToolRegistry, x: NodeExecution, name: string, input: unknown, index: number): Promise<ToolResult> => {
    const artifacts: ArtifactSink = o.onArtifactPersisted
      ? {
          persist: async (a) => {
            const stored = await o.artifacts.persist(a);
            try {
              o.onArtifactPersisted?.(stored, x);
            } catch {
              // publishing is best effort; the artifact is stored
            }
            return stored;
          },
          list: (f) => o.artifacts.list(f),
        }
      : o.artifacts;
    return invokeTool(registry, name, input, {
      idempotency_key: toolCallKey(x, index),
      correlation_id: x.run.correlation_id,
      request_id: x.run.request_id,
      run_id: x.run.id,
      node_run_id: x.nodeRun.id,
      flowchart_id: x.run.flowchart_id,
      workspace_dir: await workspace(x.run.id, name),
      signal: x.signal,
      ledger: o.ledger,
      artifacts,
      audit: o.audit,
      ...(o.tracer ? { tracer: o.tracer } : {}),
    });
  };

  const gateway: ToolGateway = {
    invoke: (x, name, input, index) => call(o.registry, x, name, input, index),
    specs: (names) => o.registry.specs(names),
    agentTools: () => ({
      specs: (names) => o.registry.specs(names),
      invoke: async (x, name, args, index) => {
        const offered = Array.isArray(x.node.config?.tools) ? (x.node.config.tools as unknown[]) : [];
        // A tool the node does not offer is unknown to it (a failed, audited call), even when registered.
        const result = await call(offered.includes(name) ? o.registry : NO_TOOLS, x, name, args, index);
        if (x.signal.aborted) throw x.signal.reason;
        // A replay must ask for what was recorded: a changed call never gets the old result (issue 18).
        if (result.warnings.some((w) => w.code === REPLAY_INPUT_CHANGED)) {
          throw new LlmctlError('replay_diverged', `tool call ${index} of ${x.node.id} (${name}) differs from the call recorded under ${toolCallKey(x, index)}`, { node_id: x.node.id, tool: name, index, idempotency_key: toolCallKey(x, index) }, false);
        }
        return agentToolAnswer(result);
      },
    }),
  };
  return gateway;
}
