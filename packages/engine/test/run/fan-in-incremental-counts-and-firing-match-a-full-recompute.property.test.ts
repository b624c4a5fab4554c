import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CompiledGraph } from '../../src/graph.ts';
import { applyEvent } from '../../src/run/apply-event.ts';
import { fanInIndex, peekFanInIndex } from '../../src/run/fan-in-index.ts';
import { settleJoins } from '../../src/run/fan-in.ts';
import { initialState, type EngineState } from '../../src/run/state.ts';
import { liveSetsFullRecompute, recountLiveness, settleJoinsFullRecompute } from './support/full-recompute-fan-in.ts';
import { arbFlowchart, arbSteps, Side, started } from './support/random-run.ts';

const nonZero = (m: Map<string, number>): [string, number][] => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));

/** The incremental index of `s` equals a recount from scratch: per-input counts, aggregates and live sets. */
function assertIndexMatches(g: CompiledGraph, s: EngineState, where: string): void {
  const ix = peekFanInIndex(s);
  if (!ix) return;
  const want = recountLiveness(g, s);
  const liveSets = liveSetsFullRecompute(g, s);
  for (const [id, jl] of ix.joins) {
    const w = want.get(id)!;
    assert.deepEqual(nonZero(jl.run), nonZero(w.run), `${where}: run counts of join ${id}`);
    assert.deepEqual(nonZero(jl.hold), nonZero(w.hold), `${where}: hold counts of join ${id}`);
    for (const [c, n] of [...jl.run, ...jl.hold]) assert.ok(n >= 0, `${where}: negative count on ${id}/${c}`);
    const empty = (c: string): boolean => (s.joins[id]?.queues[c]?.length ?? 0) === 0;
    const live = jl.inputs.filter((c) => (w.run.get(c) ?? 0) + (w.hold.get(c) ?? 0) > 0);
    const runLive = jl.inputs.filter((c) => (w.run.get(c) ?? 0) > 0);
    assert.deepEqual(new Set(live), liveSets.get(id) ?? new Set(), `${where}: live inputs of join ${id} (old full recompute)`);
    assert.deepEqual(
      { live: jl.live, liveEmpty: jl.liveEmpty, runLive: jl.runLive, runLiveEmpty: jl.runLiveEmpty },
      { live: live.length, liveEmpty: live.filter(empty).length, runLive: runLive.length, runLiveEmpty: runLive.filter(empty).length },
      `${where}: aggregates of join ${id}`,
    );
  }
}

test('incremental fan-in: after every event the counts equal a full recount, and every step fires, discards and starves as the full recompute does', () => {
  fc.assert(
    fc.property(arbFlowchart, arbSteps, (doc, steps) => {
      const sNew = initialState('run-1');
      const sOld = initialState('run-1');
      const g = started(doc, sNew);
      started(doc, sOld);
      fanInIndex(sNew, g);
      // A third copy folds the engine's events one at a time with the index attached throughout: the fold hooks alone.
      const shadow = structuredClone(sNew);
      fanInIndex(shadow, g);
      const fresh = new Side(g, sNew, settleJoins, (s, eager) => void (eager && fanInIndex(s, g)));
      const oracle = new Side(g, sOld, settleJoinsFullRecompute, () => undefined);
      steps.forEach((st, i) => {
        const got = fresh.step(st);
        const want = oracle.step(st);
        assert.deepEqual(got, want, `step ${i} (${JSON.stringify(st)}): events differ from the full recompute`);
        got.forEach((e, k) => {
          applyEvent(shadow, e);
          assertIndexMatches(g, shadow, `step ${i} event ${k} (${e.kind})`);
        });
        assertIndexMatches(g, fresh.s, `step ${i} (state under test)`);
      });
      assert.deepEqual(JSON.parse(JSON.stringify(fresh.s)), JSON.parse(JSON.stringify(oracle.s)));
    }),
    { numRuns: 300 },
  );
});

test('the fan-in index is not part of the persisted state: a folded state serialises with exactly the fields of a fresh one', () => {
  const doc = fc.sample(arbFlowchart, { numRuns: 1, seed: 7 })[0]!;
  const s = initialState('run-1');
  const g = started(doc, s);
  fanInIndex(s, g);
  assert.ok(peekFanInIndex(s));
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(s))).sort(), Object.keys(initialState('x')).sort());
  assert.equal(peekFanInIndex(JSON.parse(JSON.stringify(s)) as EngineState), undefined, 'a loaded state rebuilds its index on first use');
});
