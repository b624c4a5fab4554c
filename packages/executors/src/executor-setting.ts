/**
 * The runtime setting `executor` (`runtime_settings.settings.executor`) as this process last read it, so the
 * dispatching executor can tell — without reading `executor_dispatches` — that an attempt's commit wrote no dispatch row
 * (docs/architecture.md, "No outbox read for inline attempts").
 *
 * The value is trusted only while a LISTEN connection on {@link RUNTIME_SETTINGS_CHANNEL} is up: every settings save
 * notifies that channel in its own transaction (`SettingsRepository.putRuntime`), and the listener empties the cache on
 * the notification, on a lost connection (notifications may have been missed) and after a reconnect. A read that
 * straddles an invalidation is not kept. `onInvalidated` is called on every invalidation (the executor then settles
 * the outbox rows of attempts it ran inline on the old value, see `DispatchingExecutor`).
 */
import type pg from 'pg';
import { ChannelListener, RUNTIME_SETTINGS_CHANNEL, SettingsRepository, clientConfigOf } from '@llmctl/store';

/** Backends whose attempts get an `executor_dispatches` row (the outbox trigger's list). */
export const REMOTE_BACKENDS: ReadonlySet<string> = new Set(['queue', 'kubernetes']);

/** The cached runtime setting `executor`; see the file comment. */
export class ExecutorSettingCache {
  /** The setting's value (null: unset, i.e. inline), or undefined when not known. */
  private value: string | null | undefined = undefined;
  private generation = 0;
  private loading = false;
  private listener: ChannelListener | null = null;
  private connected = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onInvalidated: () => void = () => undefined,
  ) {}

  /** Starts the listener; until it is connected, nothing is cached. */
  async start(): Promise<void> {
    if (this.listener) return;
    this.listener = new ChannelListener(clientConfigOf(this.pool), [RUNTIME_SETTINGS_CHANNEL], () => this.invalidate(), () => {
      this.invalidate();
      this.connected = true;
    }, () => {
      this.connected = false;
      this.invalidate();
    });
    await this.listener.start();
    this.connected = this.listener.connected;
  }

  /** The setting when known and trusted (null: unset); undefined otherwise (a background read is started). */
  known(): string | null | undefined {
    if (!this.listener || !this.connected) return undefined;
    if (this.value === undefined) this.load();
    return this.value;
  }

  /** Forgets the value (a settings save, a lost or new listener connection). */
  invalidate(): void {
    this.generation += 1;
    this.value = undefined;
    this.onInvalidated();
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    const generation = this.generation;
    new SettingsRepository(this.pool).storedExecutor()
      .then((executor) => {
        if (generation === this.generation && this.connected) this.value = executor;
      }, () => undefined)
      .finally(() => {
        this.loading = false;
      });
  }

  async stop(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    this.connected = false;
    this.value = undefined;
    await l?.stop();
  }
}
