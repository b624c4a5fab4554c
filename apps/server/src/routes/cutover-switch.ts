/**
 * The cutover switch (`agent_runtime_cutover_enabled`) as this process last read it, so a run start does not read the
 * runtime settings row every time (issue 17, "The HTTP path": one statement less per run start).
 *
 * The value is kept only while something tells this process about every settings save: `trust(true)` is called by the
 * realtime layer while its LISTEN connection is up (every save notifies `llmctl_runtime_settings` in its own
 * transaction), `invalidate()` on each such notification and on a reconnect (notifications may have been missed), and
 * `trust(false)` when that connection is lost. This process's own saves invalidate before the PUT answers. Without
 * realtime (or while its connection is down) every call reads the row. A read that straddles an invalidation is not kept.
 */
import type { SettingsRepository } from '@llmctl/store';

/** See the file comment. */
export class CutoverSwitch {
  private enabled: boolean | undefined = undefined;
  private generation = 0;
  private trusted = false;
  /** Settings reads made so far (tests). */
  reads = 0;

  constructor(private readonly settings: Pick<SettingsRepository, 'getRuntime'>) {}

  /** True unless the switch is off (`agent_runtime_cutover_enabled: false`); off blocks runs of imported flowcharts. */
  async isEnabled(): Promise<boolean> {
    if (this.trusted && this.enabled !== undefined) return this.enabled;
    const generation = this.generation;
    this.reads += 1;
    const value = (await this.settings.getRuntime()).agent_runtime_cutover_enabled !== false;
    if (this.trusted && generation === this.generation) this.enabled = value;
    return value;
  }

  /** Forgets the value (a settings save here or elsewhere, a new LISTEN connection). */
  invalidate(): void {
    this.generation += 1;
    this.enabled = undefined;
  }

  /** Keeps read values only while `on` (a LISTEN connection that hears every save is up). */
  trust(on: boolean): void {
    this.trusted = on;
    this.invalidate();
  }

  /** Whether a read value would be kept (tests). */
  get isTrusted(): boolean {
    return this.trusted;
  }
}
