/**
 * The dispatch outbox as the executors use it: the store's `DispatchRepository` typed with the attempt payload and
 * result of this package (all of its SQL lives in @llmctl/store).
 */
import { DispatchRepository, type DispatchRow as StoredDispatchRow } from '@llmctl/store';
import type { AttemptPayload, AttemptResult } from './attempt-payload.ts';

export { DISPATCH_CHANNELS as CHANNELS } from '@llmctl/store';
export type { DispatchState } from '@llmctl/store';

/** A row of `executor_dispatches` with this package's result type. */
export type DispatchRow = StoredDispatchRow<AttemptResult>;

/** The dispatch outbox over a pool. */
export class DispatchStore extends DispatchRepository<AttemptPayload, AttemptResult> {}
