/**
 * The benchmark harness must not rot: run it in process on tiny sizes against the test cluster and check that the
 * report is produced with sane numbers. Structure only — no assertion depends on how fast anything is.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testClusterUrl } from '../../scripts/test-database.ts';
import { ENGINES } from '../src/engines.ts';
import { tinyOptions } from '../src/options.ts';
import { benchAndWrite, type WrittenReport } from '../src/run-all.ts';
import type { Summary } from '../src/stats.ts';

function sane(s: Summary, what: string): void {
  assert.ok(s.n >= 1, `${what}: no samples`);
  assert.ok(Number.isFinite(s.min) && s.min > 0, `${what}: min ${s.min}`);
  assert.ok(s.min <= s.median && s.median <= s.max, `${what}: min ≤ median ≤ max (${s.min}, ${s.median}, ${s.max})`);
}

describe('benchmark harness (tiny sizes, in process)', () => {
  let dir: string;
  let w: WrittenReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmctl-bench-test-'));
    const options = { ...tinyOptions(), adminUrl: await testClusterUrl() };
    w = await benchAndWrite(options, { resultsDir: dir, log: () => undefined });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('completes every section it runs without errors', () => {
    assert.deepEqual(w.report.errors, []);
    assert.deepEqual([...w.report.sections].sort(), ['concurrency', 'engine', 'footprint', 'latency', 'scaling', 'transport']);
  });

  it('measures every shape on every engine with min ≤ median ≤ max', () => {
    const o = w.report.options;
    assert.equal(w.report.scaling.length, o.shapes.length * o.engines.length);
    for (const c of w.report.scaling) {
      assert.equal(c.error, undefined, `${c.engine} ${c.label}`);
      if (c.engine === 'llmctl-pass' && c.shape.kind === 'loop') {
        assert.ok(c.skipped, 'a pass-through loop is reported as not applicable');
        continue;
      }
      sane(c.ms, `${c.engine} ${c.label}`);
      assert.ok(Math.abs(c.perNodeMs.median * c.workNodes - c.ms.median) < 1e-6, 'per-node = run / work nodes');
    }
  });

  it('reports 3-node latency per engine and event latency on both delivery paths', () => {
    assert.deepEqual(w.report.latency.map((l) => l.engine).sort(), [...w.report.options.engines].sort());
    for (const l of w.report.latency) sane(l.ms, `latency ${l.engine}`);
    assert.deepEqual(w.report.events.map((e) => e.path), ['bus', 'notify']);
    for (const e of w.report.events) assert.ok(e.events > 0 && Number.isFinite(e.p99), `${e.path}: ${e.events} events`);
  });

  it('counts database rows and bytes written per node for llmctl and LangGraph', () => {
    const engines = w.report.footprint.map((f) => f.engine).sort();
    assert.deepEqual(engines, ['langgraph-pg-async', 'llmctl-pass', 'llmctl-task']);
    for (const f of w.report.footprint) {
      assert.ok(f.rowsPerNode > 0 && f.walPerNode > 0, `${f.engine}: ${f.rowsPerNode} rows, ${f.walPerNode} WAL bytes per node`);
    }
    const census = w.report.footprint.find((f) => f.engine === 'llmctl-task')!.census!;
    assert.ok(census.some((c) => c.statement.startsWith('run commit')), 'the census sees the run commits');
    assert.equal(w.report.amplification.length, 2);
    assert.ok(w.report.nesting && w.report.nesting.depth >= 1);
    assert.equal(w.report.abortProbe?.nodeRuns, 2);
  });

  it('runs concurrent runs and the issue 4 engine benchmark with memory figures', () => {
    assert.equal(w.report.concurrency.length, w.report.options.concurrencyEngines.length);
    for (const c of w.report.concurrency) {
      sane(c.batchMs, `concurrency ${c.engine}`);
      assert.ok(c.peakRssMb >= c.baselineRssMb * 0.5 && c.peakRssMb > 0, `${c.engine} RSS`);
    }
    const e = w.report.engineBench!;
    assert.equal(e.rows.length, w.report.options.engineShapes.length * 2);
    for (const r of e.rows) sane(r.perNodeMs, `engine ${r.label} ${r.variant}`);
    assert.ok(e.peakRssMb > 0);
  });

  it('evaluates the aims and writes the Markdown report, JSON and SVG charts', async () => {
    assert.ok(w.aims.length >= 6);
    for (const a of w.aims) assert.ok(a.met === null || typeof a.met === 'boolean');
    const md = await readFile(w.markdownFile, 'utf8');
    for (const heading of ['## Machine', '## Aims', '## Per-node overhead', '## Database writes per node run']) assert.ok(md.includes(heading), heading);
    for (const id of w.report.options.engines) assert.ok(md.includes(ENGINES[id].label), ENGINES[id].label);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { scaling: unknown[] };
    assert.equal(json.scaling.length, w.report.scaling.length);
    assert.ok(w.charts.length >= 4);
    for (const c of w.charts) {
      const svg = await readFile(join(dir, c.file), 'utf8');
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok(svg.trimEnd().endsWith('</svg>'));
      assert.ok(!svg.includes('NaN'), `${c.file} has no NaN coordinates`);
      assert.ok(md.includes(`(./${c.file})`), `${c.file} is referenced by the report`);
    }
  });
});
