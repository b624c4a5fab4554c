import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../src/core/coalesce.ts';

/** An action whose runs finish only when the test resolves them. */
function gatedAction() {
  const gates: (() => void)[] = [];
  const action = () => new Promise<void>((resolve) => gates.push(resolve));
  const finish = async (): Promise<void> => {
    gates.shift()!();
    // Let the finally() of the finished run schedule the next one.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { action, gates, finish };
}

test('a trigger while the action runs is followed by exactly one more run that starts after it', async () => {
  const a = gatedAction();
  const trigger = coalesced(a.action);
  trigger();
  assert.equal(a.gates.length, 1);
  trigger(); // e.g. "run succeeded" arriving while the refetch of "run started" is in flight
  trigger();
  assert.equal(a.gates.length, 1, 'no second run while the first is in flight');
  await a.finish();
  assert.equal(a.gates.length, 1, 'the triggers during the first run cause one more run');
  await a.finish();
  assert.equal(a.gates.length, 0, 'and no more');
});

test('a trigger after the action finished runs it again; a failed run does not stop later ones', async () => {
  let runs = 0;
  const trigger = coalesced(async () => {
    runs++;
    if (runs === 1) throw new Error('network');
  });
  trigger();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  trigger();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(runs, 2);
});
