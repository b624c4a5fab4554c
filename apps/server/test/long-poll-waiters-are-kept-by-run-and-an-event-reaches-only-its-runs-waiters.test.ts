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

/** A fake bus event with a payload. */
function event(runId: string, sequence: number, payload: Record<string, unknown>): PublishedEvent {
  return { run_id: runId, sequence, payload } as unknown as PublishedEvent;
}

test('a run is live here from its start on the bus until it pauses, ends, or another commit of it is signalled', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const listeners = new Set<(e: PublishedEvent) => void>();
  const bus = { onEvent: (fn: (e: PublishedEvent) => void) => (listeners.add(fn), () => listeners.delete(fn)) };
  const send = (e: PublishedEvent) => { for (const l of listeners) l(e); };
  const waiters = new RunWaiters(bus);
  send(event('run_early', 1, { kind: 'run.started' }));
  assert.equal(waiters.liveHere('run_early'), undefined, 'without signals nothing is live (a wait would poll)');

  const signals = new EventEmitter();
  waiters.attachSignals(signals, true);
  send(event('run_a', 1, { kind: 'run.started' }));
  send(event('run_a', 2, { kind: 'node.queued' }));
  send(event('run_b', 1, { kind: 'run.started' }));
  send(event('run_c', 4, { kind: 'node.succeeded' })); // a run this process did not start here: unknown
  assert.equal(waiters.liveHere('run_a'), 2);
  assert.equal(waiters.liveHere('run_c'), undefined);
  signals.emit('run', 'run_a', 2); // this process's own commit, heard back
  assert.equal(waiters.liveHere('run_a'), 2);
  const heard: string[] = [];
  const removeA = waiters.add('run_a', { onBus: (e) => heard.push(`bus ${e.sequence}`), onSignal: (last) => heard.push(`signal ${last}`), onReconnect: () => undefined });
  signals.emit('run', 'run_a', 3); // a commit signalled before the bus published it: held a moment for the bus
  assert.equal(waiters.liveHere('run_a'), 2);
  send(event('run_a', 3, { kind: 'node.started' })); // this process's own commit: no signal reaches the waiter
  t.mock.timers.tick(25);
  assert.deepEqual(heard, ['bus 3']);
  assert.equal(waiters.liveHere('run_a'), 3);
  signals.emit('run', 'run_a', 4); // a commit the bus never publishes (another process took the run over)
  signals.emit('run', 'run_a', 5);
  assert.equal(waiters.liveHere('run_a'), 3);
  t.mock.timers.tick(24);
  assert.deepEqual(heard, ['bus 3']);
  t.mock.timers.tick(1);
  assert.deepEqual(heard, ['bus 3', 'signal 5'], 'after the grace the waiters hear it and check');
  assert.equal(waiters.liveHere('run_a'), undefined);
  removeA();
  send(event('run_a', 4, { kind: 'node.queued' }));
  assert.equal(waiters.liveHere('run_a'), undefined, 'known again only from a status event');

  send(event('run_b', 2, { kind: 'run.status', status: 'pausing' }));
  assert.equal(waiters.liveHere('run_b'), 2);
  send(event('run_b', 3, { kind: 'run.status', status: 'paused' }));
  assert.equal(waiters.liveHere('run_b'), undefined);
  send(event('run_b', 4, { kind: 'run.status', status: 'running' }));
  assert.equal(waiters.liveHere('run_b'), 4);
  send(event('run_b', 5, { kind: 'run.status', status: 'succeeded' }));
  assert.equal(waiters.liveHere('run_b'), undefined);

  send(event('run_d', 1, { kind: 'run.started' }));
  const heardD: string[] = [];
  waiters.add('run_d', { onBus: () => undefined, onSignal: (last) => heardD.push(`signal ${last}`), onReconnect: () => undefined });
  signals.emit('run', 'run_d', 2);
  assert.deepEqual(heardD, []);
  signals.emit('lost');
  assert.deepEqual(heardD, ['signal 2'], 'a held signal is delivered when the connection is lost');
  assert.equal(waiters.liveHere('run_d'), undefined, 'signals may be missed while the connection is down');
  send(event('run_e', 1, { kind: 'run.started' }));
  assert.equal(waiters.liveHere('run_e'), undefined);
  signals.emit('reconnect');
  assert.equal(waiters.liveHere('run_e'), undefined, 'what was missed while down is not trusted after the reconnect');
  send(event('run_f', 1, { kind: 'run.started' }));
  assert.equal(waiters.liveHere('run_f'), 1);
  waiters.close();
  assert.equal(waiters.liveHere('run_f'), undefined);

  const down = new RunWaiters(bus);
  down.attachSignals(new EventEmitter(), false);
  send(event('run_g', 1, { kind: 'run.started' }));
  assert.equal(down.liveHere('run_g'), undefined, 'attached while the connection is down: nothing is live');
  down.close();
});
