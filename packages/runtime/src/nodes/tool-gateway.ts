/**
 * What node handlers use to call tools: every tool call of a node run (special nodes and agent tool calls of task
 * nodes) goes through the {@link ToolPort} under the idempotency key `<node run idempotency_key>:tool:<index>`, so a
 * call whose result is recorded in the ledger is never executed again (after a crash, an interrupted attempt or a
 * `retry` control, which keeps the node run's key). The port's adapter is the host's (the server wires
 * `createToolPort` of @llmctl/tools).
 */
import { LlmctlError } from '@llmctl/contracts';
import type { EventBus } from '../event-bus.ts';
import type { NodeExecution } from './node-handler.ts';
import type { TaskDeps } from './task-handler.ts';
import type { PersistedArtifactRecord, ToolCall, ToolCallResult, ToolPort, ToolSpec } from './tool-port.ts';

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
  invoke(x: NodeExecution, name: string, input: unknown, index: number): Promise<ToolCallResult>;
  /** Model-facing specs of the named tools (unknown names are skipped). */
  specs(names: readonly string[]): ToolSpec[];
  /** `TaskDeps.tools` for task nodes: a node may call only the tools its `config.tools` names. */
  agentTools(): NonNullable<TaskDeps['tools']>;
}

/** The payload of a `flowchart:node_artifact:persisted` event. */
export interface ArtifactPersistedPayload extends Record<string, unknown> {
  artifact: PersistedArtifactRecord;
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
export function artifactEventPublisher(bus: EventBus): (artifact: PersistedArtifactRecord, call: ToolCall) => void {
  return (artifact, call) => {
    const payload: ArtifactPersistedPayload = {
      artifact, node_id: call.node_id, node_run_id: call.node_run_id, idempotency_key: `artifact:${artifact.id}:${artifact.created_at}`,
    };
    bus.publishTransient({
      event_type: 'flowchart:node_artifact:persisted', run_id: call.run_id, flowchart_id: call.flowchart_id, payload,
      correlation_id: call.correlation_id, request_id: call.request_id,
    });
  };
}

/** What the model sees of a tool result. */
export function agentToolAnswer(result: ToolCallResult): Record<string, unknown> {
  return {
    status: result.status,
    output: result.output,
    ...(result.error ? { error: { code: result.error.code, message: result.error.message, details: result.error.details } } : {}),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}

/** The tool call of a node run (`offered`: the node's `config.tools`, for agent calls). */
export function toolCallOf(x: NodeExecution, name: string, input: unknown, index: number, offered?: readonly string[]): ToolCall {
  return {
    name, input, idempotency_key: toolCallKey(x, index), run_id: x.run.id, node_run_id: x.nodeRun.id, node_id: x.node.id,
    flowchart_id: x.run.flowchart_id, correlation_id: x.run.correlation_id, request_id: x.run.request_id, signal: x.signal,
    ...(offered ? { offered } : {}),
  };
}

/** The gateway over a tool port. */
export function createToolGateway(port: ToolPort): ToolGateway {
  return {
    invoke: (x, name, input, index) => port.invoke(toolCallOf(x, name, input, index)),
    specs: (names) => port.specs(names),
    agentTools: () => ({
      specs: (names) => port.specs(names),
      invoke: async (x, name, args, index) => {
        const offered = Array.isArray(x.node.config?.tools) ? (x.node.config.tools as unknown[]).filter((t): t is string => typeof t === 'string') : [];
        // A tool the node does not offer is unknown to it (a failed, audited call), even when registered.
        const result = await port.invoke(toolCallOf(x, name, args, index, offered));
        if (x.signal.aborted) throw x.signal.reason;
        // A replay must ask for what was recorded: a changed call never gets the old result (issue 18).
        if (result.replay_input_changed) {
          throw new LlmctlError('replay_diverged', `tool call ${index} of ${x.node.id} (${name}) differs from the call recorded under ${toolCallKey(x, index)}`, { node_id: x.node.id, tool: name, index, idempotency_key: toolCallKey(x, index) }, false);
        }
        return agentToolAnswer(result);
      },
    }),
  };
}
