/**
 * Where no loopback-only network namespace can be made (no `unshare`, not root, no user namespaces), Restate is never
 * started with network: its scaling cells, its latency row and its concurrency row say why it was skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BenchCluster } from '../src/cluster.ts';
import { openEngines, type EngineGroup } from '../src/engines.ts';
import { restateConcurrencyTask, restateUnavailable } from '../src/restate-driver.ts';
import { runLatency } from '../src/sections/latency.ts';
import { runScaling } from '../src/sections/scaling.ts';

describe('Restate without a network namespace', () => {
  let group: EngineGroup;
  const saved = process.env.LLMCTL_BENCH_UNSHARE;

  before(async () => {
    process.env.LLMCTL_BENCH_UNSHARE = '/nonexistent/unshare';
    // The Restate engine needs no database: a cluster it must not touch.
    group = await openEngines({} as BenchCluster, ['restate']);
  });

  after(async () => {
    await group?.close();
    if (saved === undefined) delete process.env.LLMCTL_BENCH_UNSHARE;
    else process.env.LLMCTL_BENCH_UNSHARE = saved;
  });

  it('gives the reason', () => {
    assert.match(restateUnavailable() ?? '', /cannot run `unshare --net`/);
  });

  it('reports every scaling cell as skipped, with no samples and no error', async () => {
    const cells = await runScaling(group.engines, { shapes: [{ kind: 'chain', nodes: 3 }, { kind: 'fanout', width: 3 }], repsSmall: 1, repsLarge: 1, largeAbove: 100 }, () => undefined);
    assert.equal(cells.length, 2);
    for (const c of cells) {
      assert.equal(c.engine, 'restate');
      assert.match(c.skipped ?? '', /^skipped: cannot run `unshare --net`/);
      assert.equal(c.error, undefined);
      assert.equal(c.ms.n, 0);
    }
  });

  it('leaves it out of the latency rows and marks its concurrency row skipped', async () => {
    assert.deepEqual(await runLatency(group.engines, 2, () => undefined), []);
    const r = await restateConcurrencyTask(4, 1, false);
    assert.match(r.skipped ?? '', /^skipped: /);
    assert.equal(r.batchMs.n, 0);
  });
});
