/**
 * The one fold of a run's log, shared by every reader (the runtime's orchestrator and its row projection, the studio's
 * live run view, the CLI): each logged event is upcast to the current event format, then folded by the engine's
 * `applyEvent`. Nothing else interprets event kinds; readers derive what they show from the folded state (views.ts).
 */
import { upcastRunEvent, type LeftoverToken } from '@llmctl/contracts';
import { applyEvent } from '../run/apply-event.ts';
import type { EngineEvent } from '../run/events.ts';
import { initialState, type EngineState } from '../run/state.ts';

/** Folds one logged event (of any format version) into `s`, in place; returns the event as folded (upcast). */
export function foldEvent(s: EngineState, payload: unknown): EngineEvent {
  const e = upcastRunEvent<EngineEvent>(payload);
  applyEvent(s, e);
  return e;
}

/** A token a join discarded when its round closed without firing (`join.discarded`). */
export interface DiscardedTokens {
  node_id: string;
  tokens: LeftoverToken[];
  /** When the join discarded them. */
  at: string;
  /** Sequence of the `join.discarded` event. */
  seq: number;
}

/**
 * What a reader keeps of a run's log: the engine state plus the history the engine itself does not keep (the tokens
 * joins discarded; the state only holds the tokens still queued).
 */
export interface RunFold {
  state: EngineState;
  discarded: DiscardedTokens[];
}

/** An empty fold of run `runId`. */
export function newRunFold(runId: string): RunFold {
  return { state: initialState(runId), discarded: [] };
}

/** What one event changed: the node runs it touched and which of their large fields it rewrote. */
export interface EventEffect {
  /** Node runs the event created or changed. */
  node_run_ids: string[];
  /** Node runs whose input snapshot changed (queued: tokens; started: context). */
  snapshot: string[];
  /** Node runs whose output or routing changed (queued: reset; succeeded, skipped). */
  output: string[];
  /** The run input changed (run start, rewind with an input override). */
  run_input: boolean;
  /** Join nodes whose held tokens changed. */
  joins: string[];
}

/** The effect of one (current-format) event on the state. */
export function eventEffect(e: EngineEvent): EventEffect {
  const out: EventEffect = { node_run_ids: [], snapshot: [], output: [], run_input: false, joins: [] };
  if ('node_run_id' in e && e.kind !== 'run.rewound') out.node_run_ids.push(e.node_run_id);
  switch (e.kind) {
    case 'node.queued':
      out.node_run_ids.push(e.node_run.id);
      out.snapshot.push(e.node_run.id);
      out.output.push(e.node_run.id);
      if (e.join) out.joins.push(e.node_id);
      break;
    case 'node.started':
      out.snapshot.push(e.node_run_id);
      break;
    case 'node.succeeded':
    case 'node.skipped':
      out.output.push(e.node_run_id);
      break;
    case 'run.started':
      out.run_input = true;
      break;
    case 'run.rewound':
      out.node_run_ids.push(e.node_run_id, ...e.superseded);
      out.joins.push(...Object.keys(e.joins));
      if (e.input !== undefined) out.run_input = true;
      break;
    case 'token.enqueued':
    case 'join.discarded':
      out.joins.push(e.node_id);
      break;
    default:
      break;
  }
  return out;
}

/** Folds one logged event into a reader's fold; returns its effect. */
export function foldRunEvent(f: RunFold, payload: unknown): EventEffect {
  const e = foldEvent(f.state, payload);
  if (e.kind === 'join.discarded' && e.tokens.length > 0) f.discarded.push({ node_id: e.node_id, tokens: e.tokens, at: e.at, seq: f.state.seq });
  return eventEffect(e);
}
