/**
 * Whether another server process on this database would hear this one's relayed unlogged events (issue 17, "The HTTP
 * path"): token and artifact events are relayed with `pg_notify` only while one does, so a lone `llmctl serve` spends
 * no statement on them (they were ~0.3 statements per run under load). Config events are always relayed.
 *
 * Every server's realtime LISTEN connection is named `llmctl-realtime`. A process counts those connections at start and
 * every `recountMs` (one statement); a new server says hello (an empty relayed batch) when it starts, and hearing any
 * batch of another process marks peers present at once, so a server that starts between two counts is relayed to
 * from its first subscription on. A count that a hello overtook does not turn peers off. While this process's own
 * LISTEN connection is down it cannot hear hellos: peers count as present.
 */
import type pg from 'pg';
import { countListeners } from '@llmctl/store';

/** The application name of the servers' realtime LISTEN connections (pg-listener.ts). */
export const REALTIME_APPLICATION_NAME = 'llmctl-realtime';

/** See the file comment. */
export class PeerPresence {
  private others = true;
  private heardAt = 0;
  private listening = false;
  private timer: NodeJS.Timeout | null = null;
  private counting = false;

  constructor(private readonly pool: pg.Pool, private readonly onError: (err: unknown) => void, private readonly recountMs = 5000) {}

  /** True when another server may be listening (relay unlogged events). */
  get present(): boolean {
    return this.others || !this.listening;
  }

  /** Counts now and every `recountMs` from then on. */
  start(): void {
    void this.count();
    this.timer = setInterval(() => void this.count(), this.recountMs);
    this.timer.unref();
  }

  /** A relayed batch (or hello) of another process was heard. */
  heard(): void {
    this.heardAt += 1;
    this.others = true;
  }

  /** This process's LISTEN connection is up (`true`) or down. */
  setListening(up: boolean): void {
    this.listening = up;
    if (up) void this.count();
  }

  /** Recounts the servers' LISTEN connections (one statement); resolves when done (tests). */
  async count(): Promise<void> {
    if (this.counting) return;
    this.counting = true;
    const heard = this.heardAt;
    try {
      const n = await countListeners(this.pool, REALTIME_APPLICATION_NAME);
      // This process's own connection is one of them; a hello heard meanwhile wins over the count.
      if (heard === this.heardAt) this.others = n > 1;
    } catch (err) {
      this.others = true;
      this.onError(err);
    } finally {
      this.counting = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
