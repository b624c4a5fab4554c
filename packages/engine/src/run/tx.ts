import type { CompiledGraph } from '../graph.ts';
import { applyEvent } from './apply-event.ts';
import type { EngineEvent } from './events.ts';
import type { EngineState } from './state.ts';

/** Id generator injected by the runtime (node run ids). */
export type IdFactory = () => string;

/**
 * A decision in progress: every emitted event is folded into the state at once (so later rules see it) and
 * collected for the runtime to persist in one commit. If the commit fails, the runtime rebuilds the state from the log.
 */
export class Tx {
  readonly events: EngineEvent[] = [];
  constructor(
    readonly g: CompiledGraph,
    readonly s: EngineState,
    readonly newId: IdFactory,
    readonly now: string,
  ) {}

  emit(e: EngineEvent): void {
    applyEvent(this.s, e);
    this.events.push(e);
  }

  /** The sequence the next emitted event will get. */
  get nextSeq(): number {
    return this.s.seq + 1;
  }
}
