import type pg from 'pg';
import { sql } from 'kysely';
import { kyselyOf } from './db/kysely.ts';

/** Channels of control calls carried between replicas (executors.md, "Control from any replica"). */
export const CONTROL_REQUESTS_CHANNEL = 'llmctl_control_requests';
export const CONTROL_REPLIES_CHANNEL = 'llmctl_control_replies';

/** A control request as stored: the run, the request body and its metadata (opaque to the store). */
export interface PendingControlRequest {
  run_id: string;
  request: unknown;
}

/** A request's state and, once answered, the owner's response (opaque to the store). */
export interface ControlRequestState {
  status: 'pending' | 'taken' | 'done' | 'failed';
  response: unknown;
}

/**
 * The `control_requests` table: a control call on a process that does not own the run is written here and announced
 * with NOTIFY (in the same statement); the owner claims it, runs it and stores its reply, announced the same way.
 */
export class ControlRequestRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores a request and notifies every replica (`CONTROL_REQUESTS_CHANNEL`, payload = id) when it commits. */
  async submit(id: string, runId: string, request: unknown): Promise<void> {
    await kyselyOf(this.pool)
      .with('i', (db) => db.insertInto('control_requests').values({ id, run_id: runId, request: JSON.stringify(request) }).returning('id'))
      .selectFrom('i').select((eb) => sql<void>`pg_notify(${CONTROL_REQUESTS_CHANNEL}, ${eb.ref('i.id')})`.as('notified'))
      .execute();
  }

  /** A request still pending, or null. */
  async pending(id: string): Promise<PendingControlRequest | null> {
    const row = await kyselyOf(this.pool).selectFrom('control_requests').select(['run_id', 'request'])
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return row ?? null;
  }

  /** Claims a pending request for this process; false when another took it first. */
  async claim(id: string): Promise<boolean> {
    const rows = await kyselyOf(this.pool).updateTable('control_requests').set({ status: 'taken' })
      .where('id', '=', id).where('status', '=', 'pending').returning('id').execute();
    return rows.length === 1;
  }

  /** Stores the owner's response and notifies the caller (`CONTROL_REPLIES_CHANNEL`, payload = id). */
  async answer(id: string, response: unknown): Promise<void> {
    await kyselyOf(this.pool)
      .with('u', (db) => db.updateTable('control_requests')
        .set({ status: 'done', response: JSON.stringify(response), answered_at: sql<string>`now()` }).where('id', '=', id).returning('id'))
      .selectFrom('u').select((eb) => sql<void>`pg_notify(${CONTROL_REPLIES_CHANNEL}, ${eb.ref('u.id')})`.as('notified'))
      .execute();
  }

  /** The request's state (null when unknown). */
  async state(id: string): Promise<ControlRequestState | null> {
    const row = await kyselyOf(this.pool).selectFrom('control_requests').select(['status', 'response'])
      .where('id', '=', id).$narrowType<{ status: ControlRequestState['status'] }>().executeTakeFirst();
    return row ?? null;
  }

  /** Gives up on a request nobody took. */
  async abandon(id: string): Promise<void> {
    await kyselyOf(this.pool).updateTable('control_requests').set({ status: 'failed' })
      .where('id', '=', id).where('status', '=', 'pending').execute();
  }
}
