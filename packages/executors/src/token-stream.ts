import { createHash } from 'node:crypto';
import type pg from 'pg';
import { notify } from '@llmctl/store';

/**
 * Token streaming from queue workers (executors.md; api.md `flowchart:node:token`): a worker publishes the model
 * text of an attempt with PostgreSQL NOTIFY on a channel keyed by the run; the run's owner LISTENs on that channel
 * while the attempt is in flight and emits each chunk as the attempt's token event. Tokens are not logged; a chunk
 * lost with a connection is not replayed.
 */

/** Channel names start with this; the rest is a digest of the run id (identifiers are at most 63 bytes). */
export const TOKEN_CHANNEL_PREFIX = 'llmctl_tok_';

/** NOTIFY payloads must stay under 8000 bytes; chunks are cut to fit this (with room to spare). */
export const MAX_TOKEN_PAYLOAD_BYTES = 7800;

/** The token channel of run `runId`. */
export function tokenChannelOf(runId: string): string {
  return `${TOKEN_CHANNEL_PREFIX}${createHash('sha256').update(runId).digest('hex').slice(0, 40)}`;
}

/** One notification: dispatch id, chunk number, text. */
export interface TokenMessage {
  d: string;
  s: number;
  t: string;
}

/** Cuts `text` into pieces whose message (JSON, UTF-8) is at most `maxBytes`; never splits a code point. */
export function chunkForNotify(dispatchId: string, text: string, maxBytes = MAX_TOKEN_PAYLOAD_BYTES): string[] {
  const room = maxBytes - Buffer.byteLength(JSON.stringify({ d: dispatchId, s: Number.MAX_SAFE_INTEGER, t: '' }));
  if (room < 16) throw new Error('the dispatch id leaves no room for token text');
  const out: string[] = [];
  let cur = '';
  let used = 0;
  for (const ch of text) {
    const cost = Buffer.byteLength(JSON.stringify(ch)) - 2;
    if (used + cost > room) {
      out.push(cur);
      cur = '';
      used = 0;
    }
    cur += ch;
    used += cost;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The worker's side: collects an attempt's token deltas and sends them one NOTIFY at a time (so they commit, and are
 * delivered, in order); deltas that arrive while one is being sent go together in the next. {@link flush} before the
 * result is written, so the owner sees every chunk before the result.
 */
export class TokenPublisher {
  private buffer = '';
  private seq = 0;
  private sending: Promise<void> | null = null;

  constructor(private readonly pool: pg.Pool, private readonly channel: string, private readonly dispatchId: string) {}

  /** Queues a delta. */
  push(delta: string): void {
    if (!delta) return;
    this.buffer += delta;
    this.sending ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.buffer) {
        const text = this.buffer;
        this.buffer = '';
        for (const t of chunkForNotify(this.dispatchId, text)) {
          const msg: TokenMessage = { d: this.dispatchId, s: this.seq, t };
          const sent = await notify(this.pool, this.channel, JSON.stringify(msg)).then(() => true, () => false);
          if (sent) this.seq += 1;
        }
      }
    } finally {
      this.sending = null;
    }
  }

  /** Resolves once every queued delta was sent (or failed to be). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }
}

/** The owner's side: routes token messages to the attempts waiting here, in chunk order, once each. */
export class TokenRouter {
  private readonly sinks = new Map<string, { emit: (delta: string) => void; next: number }>();
  private readonly channels = new Map<string, number>();

  /** LISTEN / UNLISTEN go one at a time, in order, on the one connection (no overlapping queries on a client). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly listen: (channel: string) => Promise<void>, private readonly unlisten: (channel: string) => Promise<void>) {}

  private serial(f: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(f, f).catch(() => undefined);
    return this.chain;
  }

  /** Emits the tokens of dispatch `dispatchId` (run `runId`) through `emit` until the returned function is called. */
  async subscribe(runId: string, dispatchId: string, emit: (delta: string) => void): Promise<() => void> {
    const channel = tokenChannelOf(runId);
    this.sinks.set(dispatchId, { emit, next: 0 });
    const n = this.channels.get(channel) ?? 0;
    this.channels.set(channel, n + 1);
    // a second attempt of the run waits until the first one's LISTEN is in effect
    await (n === 0 ? this.serial(() => this.listen(channel)) : this.chain);
    return () => {
      this.sinks.delete(dispatchId);
      const left = (this.channels.get(channel) ?? 1) - 1;
      if (left > 0) this.channels.set(channel, left);
      else {
        this.channels.delete(channel);
        void this.serial(() => this.unlisten(channel));
      }
    };
  }

  /** Handles a notification on a token channel. */
  deliver(payload: string): void {
    let m: TokenMessage;
    try {
      m = JSON.parse(payload) as TokenMessage;
    } catch {
      return;
    }
    const sink = this.sinks.get(m.d);
    if (!sink || typeof m.t !== 'string' || !(m.s >= sink.next)) return;
    sink.next = m.s + 1;
    sink.emit(m.t);
  }
}
