import type { ChildRunEndStatus, ErrorInfo, LeftoverToken, RoutingRecord, RunStatus, Warning } from '@llmctl/contracts';
import type { JoinState, NodeRunState, Token } from './state.ts';

/** The fields a node run is created with. */
export type NewNodeRun = Pick<NodeRunState, 'id' | 'node_id' | 'node_type' | 'iteration' | 'tokens' | 'idempotency_key' | 'retry_of' | 'rewound_from'>;

/**
 * Engine events: every state change of a run. They are appended to the run's log and folded by `applyEvent`;
 * `at` is the wall-clock time the decision was made (recorded, never read back for decisions).
 */
export type EngineEvent =
  | { kind: 'run.started'; input: unknown; continuation?: number; at: string }
  | { kind: 'run.status'; status: RunStatus; from: RunStatus; error?: ErrorInfo | null; output?: unknown; leftover_tokens?: LeftoverToken[]; continue_as_new?: { input: unknown }; reason?: string; at: string }
  | { kind: 'run.warning'; warning: Warning; at: string }
  | { kind: 'run.control'; action: string; actor: string; reason: string | null; params: Record<string, unknown>; at: string }
  | { kind: 'run.rewound'; node_run_id: string; checkpoint_seq: number; superseded: string[]; joins: Record<string, JoinState>; iterations: Record<string, number>; input?: unknown; at: string }
  | { kind: 'node.queued'; node_id: string; node_run: NewNodeRun; join?: { consumed: string[] }; at: string }
  | { kind: 'node.started'; node_id: string; node_run_id: string; context: Record<string, unknown>; at: string }
  | { kind: 'node.attempt_started'; node_id: string; node_run_id: string; n: number; at: string }
  | { kind: 'node.attempt_failed'; node_id: string; node_run_id: string; n: number; error: ErrorInfo; at: string }
  | { kind: 'node.succeeded'; node_id: string; node_run_id: string; output: unknown; routing: RoutingRecord; outcome: 'success' | 'success_with_warning'; fallback_used: boolean; degraded_reason: string | null; warnings: Warning[]; usage: Record<string, unknown> | null; at: string }
  | { kind: 'node.failed'; node_id: string; node_run_id: string; error: ErrorInfo; warnings?: Warning[]; at: string }
  | { kind: 'node.skipped'; node_id: string; node_run_id: string; output: unknown; routing: RoutingRecord; at: string }
  | { kind: 'node.requeued'; node_id: string; node_run_id: string; reason: string; at: string }
  | { kind: 'node.canceled'; node_id: string; node_run_id: string; reason: string; at: string }
  | { kind: 'token.enqueued'; node_id: string; connector_id: string; token: Token; at: string }
  | { kind: 'join.discarded'; node_id: string; tokens: LeftoverToken[]; at: string }
  | { kind: 'subflow.child_started'; node_id: string; node_run_id: string; child_run_id: string; flowchart_id: string; at: string }
  | { kind: 'subflow.child_finished'; node_id: string; node_run_id: string; child_run_id: string; flowchart_id: string; status: ChildRunEndStatus; error: ErrorInfo | null; at: string };

export type EngineEventKind = EngineEvent['kind'];

/** The public `domain:entity:action` type under which an engine event is logged and published. */
export function eventTypeOf(e: EngineEvent): string {
  switch (e.kind) {
    case 'run.control':
      return 'flowchart:run:control';
    case 'run.started':
    case 'run.status':
    case 'run.warning':
    case 'run.rewound':
      return 'flowchart:run:updated';
    case 'token.enqueued':
    case 'join.discarded':
      return 'flowchart:join:updated';
    case 'subflow.child_started':
    case 'subflow.child_finished':
      // about one node run (its child): published like the node's own events
      return 'flowchart:node:updated';
    default:
      return 'flowchart:node:updated';
  }
}
