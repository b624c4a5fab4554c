import pg from 'pg';

/**
 * A dedicated connection that LISTENs on channels and reconnects (doubling to 5 s) when lost. Channels can be added
 * and removed while it runs ({@link ChannelListener.listen}); a reconnect listens on all of them again.
 */
export class ChannelListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;
  private readonly channels: Set<string>;
  private started: Promise<void> | null = null;

  constructor(
    private readonly config: pg.ClientConfig,
    channels: string[],
    private readonly onNotify: (channel: string, payload: string) => void,
    private readonly onReconnect: () => void = () => undefined,
    /** Called when an established connection is lost (notifications may be missed until the reconnect). */
    private readonly onLost: () => void = () => undefined,
  ) {
    this.channels = new Set(channels);
  }

  /** True while a connection is up and listening. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** Connects and listens; on failure retries in the background. */
  async start(): Promise<void> {
    this.started ??= this.connect(false);
    await this.started;
  }

  /** Listens on `channel` too (once the first connection attempt is over; reconnects include it). */
  async listen(channel: string): Promise<void> {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    await this.started;
    await this.client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
  }

  /** Stops listening on `channel`. */
  async unlisten(channel: string): Promise<void> {
    if (!this.channels.delete(channel)) return;
    await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
  }

  private async connect(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...this.config, application_name: 'llmctl-executors' });
    client.on('notification', (n) => this.onNotify(n.channel, n.payload ?? ''));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const ch of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    } catch {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.schedule();
      return;
    }
    if (this.stopped) return void (await client.end().catch(() => undefined));
    this.client = client;
    this.retryMs = 100;
    if (reconnect) this.onReconnect();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.onLost();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect(true);
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(5000, this.retryMs * 2);
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}

/** Client config of a pool (for dedicated LISTEN connections). */
export function clientConfigOf(pool: pg.Pool): pg.ClientConfig {
  return (pool as unknown as { options: pg.ClientConfig }).options;
}
