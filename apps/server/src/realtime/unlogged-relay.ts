import type pg from 'pg';
import type { EventEnvelope } from '@llmctl/contracts';
import { notify } from '@llmctl/store';

/**
 * Channel of events that are not in a run log (config changes, token streaming, artifact notices), sent between
 * server processes as `{ o: <origin process id>, events: [envelope…] }`.
 */
export const UNLOGGED_CHANNEL = 'llmctl_unlogged_events';
/** Channel of run-log commits (`{ run_id, last_sequence }`, sent by the run store after every commit). */
export const RUN_EVENTS_CHANNEL = 'llmctl_run_events';

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; stay below it. */
const MAX_PAYLOAD = 7500;

/** The wire form of a relayed batch. */
export interface UnloggedBatch {
  o: string;
  events: EventEnvelope[];
}

/** A model event whose envelope is too large keeps the model without its settings (they may be large). */
function shrink(e: EventEnvelope): EventEnvelope | null {
  const model = (e.payload as { model?: Record<string, unknown> }).model;
  if (model && typeof model === 'object') {
    const rest = { ...model };
    delete rest.settings;
    const smaller = { ...e, payload: { ...e.payload, model: rest, settings_omitted: true } };
    if (Buffer.byteLength(JSON.stringify(smaller)) < MAX_PAYLOAD - 64) return smaller;
  }
  const bare = { ...e, payload: { payload_omitted: true } };
  return Buffer.byteLength(JSON.stringify(bare)) < MAX_PAYLOAD - 64 ? bare : null;
}

/**
 * Sends unlogged envelopes to the other server processes with `pg_notify`, batched: envelopes queued within
 * `delayMs` (default 10 ms) go out together, packed into payloads under 8000 bytes, in order. An envelope too large
 * for a payload is shrunk (model settings, else the payload, are omitted and flagged); token text that would not fit
 * is not relayed (the run's log and `/api/runs/:id` keep the final output).
 */
export class UnloggedRelay {
  private queue: EventEnvelope[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly pool: pg.Pool, private readonly origin: string, private readonly onError: (err: unknown) => void, private readonly delayMs = 10) {}

  send(e: EventEnvelope): void {
    if (this.closed) return;
    this.queue.push(e);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const batch = this.queue;
      this.queue = [];
      this.sending = this.sending.then(() => this.flush(batch));
    }, this.delayMs);
  }

  private async flush(events: EventEnvelope[]): Promise<void> {
    const payloads: string[] = [];
    let current: string[] = [];
    let size = 0;
    const head = `{"o":${JSON.stringify(this.origin)},"events":[`;
    for (const e of events) {
      let text = JSON.stringify(e);
      if (Buffer.byteLength(text) + head.length + 2 > MAX_PAYLOAD) {
        const small = shrink(e);
        if (!small) continue;
        text = JSON.stringify(small);
      }
      const n = Buffer.byteLength(text) + 1;
      if (current.length > 0 && head.length + size + n + 2 > MAX_PAYLOAD) {
        payloads.push(`${head}${current.join(',')}]}`);
        current = [];
        size = 0;
      }
      current.push(text);
      size += n;
    }
    if (current.length > 0) payloads.push(`${head}${current.join(',')}]}`);
    for (const p of payloads) {
      if (this.closed) return;
      await notify(this.pool, UNLOGGED_CHANNEL, p).catch(this.onError);
    }
  }

  /** Tells the other server processes this one listens (an empty batch: see peer-presence.ts). */
  hello(): void {
    if (this.closed) return;
    this.sending = this.sending.then(() => notify(this.pool, UNLOGGED_CHANNEL, JSON.stringify({ o: this.origin, events: [] })).catch(this.onError));
  }

  /** Sends what is queued, then stops. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      const batch = this.queue;
      this.queue = [];
      this.sending = this.sending.then(() => this.flush(batch));
    }
    await this.sending;
    this.closed = true;
  }
}
