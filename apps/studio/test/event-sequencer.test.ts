import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSequencer, fetchAllAfter } from '../src/core/event-sequencer.ts';

const ev = (sequence: number | null, tag = ''): { sequence: number | null; tag: string } => ({ sequence, tag });

test('in-order events are applied at once', () => {
  const s = new EventSequencer<ReturnType<typeof ev>>(0);
  assert.deepEqual(s.offer(ev(1)).apply.map((e) => e.sequence), [1]);
  assert.deepEqual(s.offer(ev(2)).apply.map((e) => e.sequence), [2]);
  assert.equal(s.lastSequence, 2);
});

test('a sequence gap holds the event and asks for a catch-up', () => {
  const s = new EventSequencer<ReturnType<typeof ev>>(3);
  const r = s.offer(ev(6));
  assert.deepEqual(r.apply, []);
  assert.equal(r.gap, true);
  assert.equal(s.lastSequence, 3);
});

test('catch-up events fill the gap and release held events in order', () => {
  const s = new EventSequencer<ReturnType<typeof ev>>(3);
  s.offer(ev(6));
  const r = s.offerMany([ev(5), ev(4)]);
  assert.deepEqual(r.apply.map((e) => e.sequence), [4, 5, 6]);
  assert.equal(r.gap, false);
  assert.equal(s.lastSequence, 6);
});

test('duplicates and already-applied events are dropped', () => {
  const s = new EventSequencer<ReturnType<typeof ev>>(0);
  s.offerMany([ev(1), ev(2)]);
  assert.deepEqual(s.offerMany([ev(1), ev(2), ev(3), ev(3)]).apply.map((e) => e.sequence), [3]);
});

test('unsequenced events (tokens) pass straight through', () => {
  const s = new EventSequencer<ReturnType<typeof ev>>(5);
  assert.deepEqual(s.offer(ev(null, 'tok')).apply.map((e) => e.tag), ['tok']);
  assert.equal(s.lastSequence, 5);
});

test('fetchAllAfter follows next_after_sequence until a short page', async () => {
  const log = Array.from({ length: 7 }, (_, i) => i + 1);
  const calls: number[] = [];
  const all = await fetchAllAfter(async (after) => {
    calls.push(after);
    const events = log.filter((s) => s > after).slice(0, 3);
    return { events, next: events.length ? events[events.length - 1]! : after };
  }, 0, 3);
  assert.deepEqual(all, log);
  assert.deepEqual(calls, [0, 3, 6]);
});

test('fetchAllAfter stops on an empty page when the log ends at a page boundary', async () => {
  const calls: number[] = [];
  const all = await fetchAllAfter(async (after) => {
    calls.push(after);
    const events = [1, 2, 3, 4].filter((s) => s > after).slice(0, 2);
    return { events, next: events.length ? events[events.length - 1]! : after };
  }, 0, 2);
  assert.deepEqual(all, [1, 2, 3, 4]);
  assert.deepEqual(calls, [0, 2, 4]);
});
