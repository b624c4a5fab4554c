import type { FlowchartNode, Warning } from '@llmctl/contracts';
import type { CompiledGraph, EngineEvent, EngineState, LlmChoice, NodeRunState, TemplateScope } from '@llmctl/engine';
import type { ModelCallRecord } from '../ports.ts';

/** Everything a node handler may read while executing one attempt of a node run. */
export interface NodeExecution {
  run: { id: string; flowchart_id: string; flowchart_version: number; input: unknown; started_at: string | null; correlation_id: string | null; request_id: string | null };
  graph: CompiledGraph;
  node: FlowchartNode;
  nodeRun: NodeRunState;
  /** Template scope: input, upstream, context, node, run. */
  scope: TemplateScope;
  /** The triggering output (runtime.md "Activation and tokens"). */
  triggering: unknown;
  attempt: number;
  signal: AbortSignal;
  /** Streams model text to `flowchart:node:token` (not logged). */
  emitToken(delta: string): void;
  /** Adds a warning to the node run (e.g. template_path_missing). */
  warn(w: Warning): void;
  /**
   * True when the runtime stores model-call records returned in {@link NodeResult.model_calls} with the node's own
   * commit: a handler may then return the records of calls that need not be durable before the attempt ends (a final
   * answer, not a tool-loop step) instead of writing each one.
   */
  modelCallsInCommit?: boolean;
  /**
   * Appends events to the run's log while this attempt is still its node run's current one (else nothing), and
   * resolves once they are committed. `decide` runs in the run's single writer on its folded state, so it can leave
   * out what the log already holds; like the engine's decisions, it folds the events it returns into that state.
   * Only the owner's inline execution has it (the `flowchart` node records its child run with it).
   */
  record?(decide: (s: EngineState, now: string) => EngineEvent[]): Promise<void>;
}

/** What a node handler returns. */
export interface NodeResult {
  output: unknown;
  warnings?: Warning[];
  fallback_used?: boolean;
  degraded_reason?: string | null;
  usage?: Record<string, unknown> | null;
  /** A terminating milestone: ends the run like an end node. */
  terminate?: boolean;
  /** An llm_guided decision's choice. */
  choice?: LlmChoice;
  /** Model calls of the attempt not yet recorded (only when `modelCallsInCommit`): stored with the node's commit. */
  model_calls?: ModelCallRecord[];
}

/** Executes one attempt of a node run. Throw `LlmctlError` (with `retryable`) to fail the attempt. */
export type NodeHandler = (x: NodeExecution) => Promise<NodeResult>;

export type NodeHandlers = Partial<Record<string, NodeHandler>>;
