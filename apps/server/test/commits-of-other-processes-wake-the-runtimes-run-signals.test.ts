import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notify } from '@llmctl/store';
import type { RunSignal } from '@llmctl/runtime';
import { startTestServer } from './support/test-server.ts';

// Issue 18 ("event-driven waits"): a sub-flowchart parent whose child runs in another process wakes on that
// process's commit notification. The server feeds `LISTEN llmctl_run_events` into the runtime's RunSignals port;
// here another "process" (a plain NOTIFY, as PgRunStore.commit sends it) must reach it.

test('a run_events notification from another process reaches the orchestrator\'s RunSignals', async () => {
  const s = await startTestServer();
  try {
    const got = new Promise<RunSignal>((resolve) => {
      const off = s.app.orchestrator.signals.onSignal((sig) => {
        if (sig.kind === 'run' && sig.run_id === 'run_from_elsewhere') {
          off();
          resolve(sig);
        }
      });
    });
    await notify(s.db.pool, 'llmctl_run_events', JSON.stringify({ run_id: 'run_from_elsewhere', last_sequence: 7 }));
    assert.deepEqual(await got, { kind: 'run', run_id: 'run_from_elsewhere' });
  } finally {
    await s.close();
  }
});
