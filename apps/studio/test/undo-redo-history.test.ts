import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRedo, canUndo, checkpoint, createHistory, pushHistory, redo, replacePresent, undo } from '../src/core/history.ts';

test('undo returns to the previous snapshot and redo re-applies it', () => {
  let h = createHistory('a');
  h = pushHistory(h, 'b');
  h = pushHistory(h, 'c');
  h = undo(h);
  assert.equal(h.present, 'b');
  h = undo(h);
  assert.equal(h.present, 'a');
  assert.equal(canUndo(h), false);
  h = redo(h);
  assert.equal(h.present, 'b');
  assert.equal(canRedo(h), true);
});

test('a new push after undo clears the redo stack', () => {
  let h = pushHistory(pushHistory(createHistory(1), 2), 3);
  h = pushHistory(undo(h), 4);
  assert.equal(canRedo(h), false);
  assert.deepEqual(h.past, [1, 2]);
});

test('consecutive pushes with the same coalesce key make one undo step', () => {
  let h = createHistory('');
  for (const s of ['h', 'he', 'hel', 'hell', 'hello']) h = pushHistory(h, s, 'prompt');
  h = pushHistory(h, 'x', 'other');
  assert.equal(undo(undo(h)).present, '');
  assert.equal(undo(h).present, 'hello');
});

test('replacePresent and checkpoint let a drag be one undo step', () => {
  let h = createHistory({ x: 0 });
  h = checkpoint(h);
  h = replacePresent(h, { x: 5 });
  h = replacePresent(h, { x: 10 });
  assert.deepEqual(undo(h).present, { x: 0 });
});

test('history is bounded by its limit', () => {
  let h = createHistory(0, 3);
  for (let i = 1; i <= 10; i++) h = pushHistory(h, i);
  assert.deepEqual(h.past, [7, 8, 9]);
});

test('undo and redo on empty stacks change nothing', () => {
  const h = createHistory('x');
  assert.equal(undo(h), h);
  assert.equal(redo(h), h);
});
