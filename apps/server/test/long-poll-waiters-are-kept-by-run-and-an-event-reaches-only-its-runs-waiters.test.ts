/**
 * Long-polls wait through one registry (run-waiters.ts): a committed event or a commit signal reaches only the
 * requests waiting on its run, a reconnect reaches every waiter, a removed waiter hears nothing, and closing the
 * registry detaches it from the bus and the signals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { PublishedEvent } from '@llmctl/runtime';
import { RunWaiters, type RunWaiter } from '../src/routes/run-waiters.ts';

function fakeBus() {
  const listeners = new Set<(e: PublishedEvent) => void>();
  return {
    onEvent(fn: (e: PublishedEvent) => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    publish: (runId: string, sequence: number) => { for (const l of listeners) l({ run_id: runId, sequence } as PublishedEvent); },
    get size() {
      return listeners.size;
    },
  };
}

function recorder(log: string[], name: string): RunWaiter {
  return {
    onBus: (e) => log.push(`${name} bus ${e.run_id}#${e.sequence}`),
    onSignal: (last) => log.push(`${name} signal ${last}`),
    onReconnect: () => log.push(`${name} reconnect`),
  };
}

test('an event or a signal reaches only the waiters of its run; a reconnect reaches all; removal and close detach', () => {
  const bus = fakeBus();
  const signals = new EventEmitter();
  const waiters = new RunWaiters(bus);
  assert.equal(waiters.hasSignals, false);
  waiters.attachSignals(signals);
  waiters.attachSignals(new EventEmitter()); // ignored: one signal source
  const log: string[] = [];
  const removeA1 = waiters.add('run_a', recorder(log, 'a1'));
  waiters.add('run_a', recorder(log, 'a2'));
  const removeB = waiters.add('run_b', recorder(log, 'b'));
  bus.publish('run_a', 3);
  bus.publish('run_c', 1);
  signals.emit('run', 'run_b', 7);
  signals.emit('run', 'run_c', 2);
  assert.deepEqual(log, ['a1 bus run_a#3', 'a2 bus run_a#3', 'b signal 7']);
  log.length = 0;
  removeA1();
  removeB();
  assert.equal(waiters.size, 1, 'a run without waiters is forgotten');
  bus.publish('run_b', 8);
  signals.emit('reconnect');
  assert.deepEqual(log, ['a2 reconnect']);
  waiters.close();
  assert.equal(bus.size, 0);
  assert.equal(signals.listenerCount('run') + signals.listenerCount('reconnect'), 0);
});
