/**
 * `llmctl serve` keeps the runtime settings in ONE cache fed by its realtime LISTEN connection: the run start's cutover
 * switch and the dispatching executor's `executor` setting read the row once between them, no second connection listens
 * on `llmctl_runtime_settings`, and a save by another process reaches both consumers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DispatchingExecutor } from '@llmctl/executors';
import { SettingsRepository, createPool } from '@llmctl/store';
import { startTestServer } from './support/test-server.ts';

test('one settings cache, one listener: a save by another process reaches the cutover switch and the executor setting', async () => {
  const s = await startTestServer();
  const other = createPool(s.db.url, { max: 1 }); // "another process" that saves the settings
  try {
    const cache = s.app.runtimeSettings;
    const executor = s.app.orchestrator.executor as DispatchingExecutor;
    assert.equal(cache.isTrusted, true, 'the realtime LISTEN connection is up');
    assert.equal(s.app.cutoverSwitch.cache, cache, 'the cutover switch reads the shared cache');

    // Backends of this server's database whose last statement was LISTEN on the settings channel.
    const listeners = async () => (await other.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "llmctl_runtime_settings"'`,
    )).rows.map((r) => r.application_name);
    assert.deepEqual(await listeners(), ['llmctl-realtime'], 'one connection listens for settings saves');

    const reads0 = cache.reads;
    assert.equal(await s.app.cutoverSwitch.isEnabled(), true);
    assert.equal(executor.knownRuntimeSetting(), 'inline', 'the executor sees the value the cutover switch read');
    assert.equal(await s.app.cutoverSwitch.isEnabled(), true);
    assert.equal(cache.reads - reads0, 1, 'both consumers, one settings read');

    // Another process saves: the notification empties the cache (gate on it), then both consumers see the new value.
    const heard = new Promise<void>((resolve) => {
      const off = cache.onInvalidated(() => {
        off();
        resolve();
      });
    });
    await new SettingsRepository(other).putRuntime({ agent_runtime_cutover_enabled: false, executor: 'queue' });
    await heard;
    assert.equal(executor.knownRuntimeSetting(), undefined, 'forgotten: the executor reads its outbox row meanwhile');
    assert.equal(await s.app.cutoverSwitch.isEnabled(), false);
    assert.equal(executor.knownRuntimeSetting(), 'queue');
    assert.equal(cache.reads - reads0, 2);
  } finally {
    await other.end();
    await s.close();
  }
});
