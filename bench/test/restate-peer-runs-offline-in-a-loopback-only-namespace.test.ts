/**
 * The Restate peer (bench/src/restate-driver.ts): its server must never run with a route out (it tries an outbound
 * version check at start), so it runs in a loopback-only network namespace; every shape the harness measures runs
 * through it, and closing leaves no server process or data dir behind. Structure only — nothing here depends on how
 * fast anything is. Skipped where a network namespace cannot be made (then the bench reports Restate as skipped).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RestateDriver, restateConcurrencyTask, restateUnavailable } from '../src/restate-driver.ts';
import { networkInterfaces, startRestateServer } from '../src/restate/server.ts';
import type { Shape } from '../src/workloads.ts';

const unavailable = restateUnavailable();

describe('Restate peer', () => {
  it('refuses to start restate-server in a network namespace that has more than loopback', async (t) => {
    const ifaces = await networkInterfaces();
    if (ifaces.length === 1 && ifaces[0] === 'lo') return t.skip('this process itself has only loopback');
    // /bin/true stands in for the server: should the guard ever break, nothing with network access is started.
    await assert.rejects(startRestateServer({ binary: '/bin/true' }), /refusing to start restate-server with network interfaces/);
  });

  describe('in a loopback-only namespace', { skip: unavailable ?? false }, () => {
    let d: RestateDriver;

    before(async () => {
      d = await RestateDriver.open();
    });

    after(async () => {
      await d?.close();
    });

    it('reports the server version once the deployment answers', () => {
      assert.match(d.ready.version, /^\d+\.\d+\.\d+/);
      assert.ok(d.ready.serverPid > 0 && existsSync(d.ready.dataDir));
    });

    it('runs a chain, a fan-out, a loop and the 3-step flow, each a durable invocation with a wall time', async () => {
      const shapes: Shape[] = [{ kind: 'chain', nodes: 5 }, { kind: 'fanout', width: 5 }, { kind: 'loop', iterations: 2 }, { kind: 'flow3' }];
      for (const shape of shapes) {
        const ms = await d.compile(shape)();
        assert.ok(Number.isFinite(ms) && ms > 0, `${shape.kind}: ${ms} ms`);
      }
    });

    it('runs concurrent invocations and reports runs per second and the server\'s memory', async () => {
      const f = await d.concurrency(6, 2);
      assert.equal(f.batchMs.n, 2);
      assert.equal(f.latencyMs.n, 12);
      assert.ok(f.runsPerSecond.min > 0 && f.runsPerSecond.min <= f.runsPerSecond.max);
      assert.ok(f.serverPeakRssMb > 0 && f.peakRssMb > f.serverPeakRssMb);
    });

    it('stops the server and removes its data dir on close', async () => {
      const { serverPid, dataDir } = d.ready;
      await d.close();
      assert.equal(existsSync(`/proc/${serverPid}`), false, 'restate-server is gone');
      assert.equal(existsSync(dataDir), false, 'its data dir is removed');
    });

    it('gives the concurrency section a result in the shape of the other engines\'', async () => {
      const r = await restateConcurrencyTask(4, 1, false);
      assert.equal(r.engine, 'restate');
      assert.equal(r.skipped, undefined);
      assert.equal(r.latencyMs.n, 4);
      assert.match(r.measuredIn ?? '', /restate-server/);
    });
  });
});
