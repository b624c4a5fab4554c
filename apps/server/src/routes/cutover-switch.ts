/**
 * The cutover switch (`agent_runtime_cutover_enabled`) as this process knows it, so a run start does not read the
 * runtime settings row every time (issue 17, "The HTTP path": one statement less per run start). It is a view of the
 * process's one runtime-settings cache (`runtime/runtime-settings-cache.ts`: kept while the realtime LISTEN connection
 * is up, forgotten on every save here or elsewhere, on a migration apply and on a reconnect).
 */
import type { SettingsRepository } from '@llmctl/store';
import { RuntimeSettingsCache } from '../runtime/runtime-settings-cache.ts';

/** See the file comment. */
export class CutoverSwitch {
  /** The settings cache this switch reads (shared with the executor-setting consumer in `llmctl serve`). */
  readonly cache: RuntimeSettingsCache;

  /** `source`: the process's settings cache, or a settings repository (a cache of its own is made). */
  constructor(source: RuntimeSettingsCache | Pick<SettingsRepository, 'getRuntime'>) {
    this.cache = source instanceof RuntimeSettingsCache ? source : new RuntimeSettingsCache(source);
  }

  /** True unless the switch is off (`agent_runtime_cutover_enabled: false`); off blocks runs of imported flowcharts. */
  async isEnabled(): Promise<boolean> {
    return (await this.cache.get()).agent_runtime_cutover_enabled !== false;
  }

  /** Forgets the value (see {@link RuntimeSettingsCache.invalidate}). */
  invalidate(): void {
    this.cache.invalidate();
  }

  /** Keeps read values only while `on` (see {@link RuntimeSettingsCache.trust}). */
  trust(on: boolean): void {
    this.cache.trust(on);
  }

  /** Whether a read value would be kept (tests). */
  get isTrusted(): boolean {
    return this.cache.isTrusted;
  }

  /** Settings reads made so far (tests). */
  get reads(): number {
    return this.cache.reads;
  }
}
