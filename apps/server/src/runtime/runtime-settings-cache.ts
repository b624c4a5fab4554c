/**
 * The runtime settings (`runtime_settings`, `GET /api/settings/runtime`) as this process last read them: ONE cache per
 * server for every consumer that must not read the row per use — the cutover switch of a run start
 * (`routes/cutover-switch.ts`) and the dispatching executor's `executor` setting (a first inline attempt skips its
 * outbox read; `DispatchingExecutor.useRuntimeSetting`). It is fed by the realtime layer's LISTEN connection, so
 * `llmctl serve` holds one connection for settings notifications instead of two.
 *
 * A read value is kept only while something tells this process about every settings save: `trust(true)` while the
 * LISTEN connection (which hears `llmctl_runtime_settings`, notified in every save's transaction) is up,
 * `invalidate()` on each such notification, on this process's own saves (before the PUT answers), on a migration
 * apply and on a reconnect; `trust(false)` when the connection is lost. Untrusted, every `get` reads the row and
 * `known` says nothing. A read that straddles an invalidation answers its caller but is not kept.
 */
import type { RuntimeSettings, SettingsRepository } from '@llmctl/store';

/** See the file comment. */
export class RuntimeSettingsCache {
  private value: RuntimeSettings | undefined = undefined;
  private generation = 0;
  private trusted = false;
  private loading: Promise<RuntimeSettings> | null = null;
  private readonly listeners = new Set<() => void>();
  /** Settings reads made so far (tests). */
  reads = 0;

  constructor(private readonly settings: Pick<SettingsRepository, 'getRuntime'>) {}

  /** The settings: the kept value while trusted, else a read (kept when trusted and not invalidated meanwhile). */
  async get(): Promise<RuntimeSettings> {
    if (this.trusted && this.value !== undefined) return this.value;
    if (this.trusted && this.loading) return this.loading;
    const generation = this.generation;
    this.reads += 1;
    const read = this.settings.getRuntime().then((v) => {
      if (this.trusted && generation === this.generation) this.value = v;
      return v;
    });
    if (this.trusted) {
      this.loading = read;
      const clear = (): void => {
        if (this.loading === read) this.loading = null;
      };
      read.then(clear, clear);
    }
    return read;
  }

  /** The kept settings when trusted and known; otherwise undefined, and a background read is started when trusted. */
  known(): RuntimeSettings | undefined {
    if (!this.trusted) return undefined;
    if (this.value === undefined && !this.loading) this.get().catch(() => undefined);
    return this.value;
  }

  /** Forgets the value (a settings save here or elsewhere, a migration apply, a new LISTEN connection). */
  invalidate(): void {
    this.generation += 1;
    this.value = undefined;
    this.loading = null;
    for (const l of [...this.listeners]) l();
  }

  /** Keeps read values only while `on` (a LISTEN connection that hears every save is up). */
  trust(on: boolean): void {
    this.trusted = on;
    this.invalidate();
  }

  /** Whether a read value would be kept. */
  get isTrusted(): boolean {
    return this.trusted;
  }

  /** Calls `listener` on every invalidation; returns its removal. */
  onInvalidated(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The `executor` setting for `DispatchingExecutor.useRuntimeSetting` (a view of this cache). */
  executorSetting(): { known(): string | null | undefined; onInvalidated(fn: () => void): () => void } {
    return {
      known: () => {
        const s = this.known();
        return s === undefined ? undefined : ((s.executor as string | null | undefined) ?? null);
      },
      onInvalidated: (fn) => this.onInvalidated(fn),
    };
  }
}
