import type pg from 'pg';

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
    await this.pool.query(
      `WITH i AS (INSERT INTO control_requests (id, run_id, request) VALUES ($1, $2, $3) RETURNING id)
       SELECT pg_notify('${CONTROL_REQUESTS_CHANNEL}', id) FROM i`, [id, runId, JSON.stringify(request)]);
  }

  /** A request still pending, or null. */
  async pending(id: string): Promise<PendingControlRequest | null> {
    const r = await this.pool.query<PendingControlRequest>(`SELECT run_id, request FROM control_requests WHERE id = $1 AND status = 'pending'`, [id]);
    return r.rows[0] ?? null;
  }

  /** Claims a pending request for this process; false when another took it first. */
  async claim(id: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE control_requests SET status = 'taken' WHERE id = $1 AND status = 'pending' RETURNING id`, [id]);
    return r.rowCount === 1;
  }

  /** Stores the owner's response and notifies the caller (`CONTROL_REPLIES_CHANNEL`, payload = id). */
  async answer(id: string, response: unknown): Promise<void> {
    await this.pool.query(
      `WITH u AS (UPDATE control_requests SET status = 'done', response = $2, answered_at = now() WHERE id = $1 RETURNING id)
       SELECT pg_notify('${CONTROL_REPLIES_CHANNEL}', id) FROM u`, [id, JSON.stringify(response)]);
  }

  /** The request's state (null when unknown). */
  async state(id: string): Promise<ControlRequestState | null> {
    const r = await this.pool.query<ControlRequestState>(`SELECT status, response FROM control_requests WHERE id = $1`, [id]);
    return r.rows[0] ?? null;
  }

  /** Gives up on a request nobody took. */
  async abandon(id: string): Promise<void> {
    await this.pool.query(`UPDATE control_requests SET status = 'failed' WHERE id = $1 AND status = 'pending'`, [id]);
  }
}
