import pg from 'pg';
import type { Logger } from 'pino';
import { REALTIME_APPLICATION_NAME } from './peer-presence.ts';

/** Options of {@link PgListener}. */
export interface PgListenerOptions {
  /** Connection settings (the app pool's options; a dedicated client is opened with them). */
  client: pg.ClientConfig;
  channels: string[];
  onNotification(channel: string, payload: string): void;
  /** Called after a reconnect: notifications sent while disconnected are lost, so callers re-read what they track. */
  onReconnect(): void;
  /** Called when an established connection is lost (notifications are missed until the reconnect). */
  onLost?(): void;
  logger: Logger;
}

/**
 * A dedicated PostgreSQL connection that `LISTEN`s on some channels and reconnects (100 ms doubling to 5 s) when it
 * is lost. `start` resolves once listening (or after the first failure is logged; retries continue in the background).
 */
export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: PgListenerOptions) {}

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...this.o.client, application_name: REALTIME_APPLICATION_NAME });
    client.on('notification', (n) => {
      if (n.payload !== undefined) this.o.onNotification(n.channel, n.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      for (const ch of this.o.channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      if (!this.stopped) {
        this.o.logger.warn({ err }, 'realtime: cannot LISTEN for events of other processes; retrying');
        this.schedule();
      }
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 100;
    if (reconnect) this.o.onReconnect();
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.o.onLost?.();
    this.o.logger.warn({ err }, 'realtime: the LISTEN connection was lost; reconnecting');
    client.end().catch(() => undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect(true);
    }, wait);
    this.timer.unref();
  }

  /** True while the connection is up and listening. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }
}
