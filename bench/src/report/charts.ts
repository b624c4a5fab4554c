import type { EngineId } from '../engines.ts';
import { SHORT } from '../engines.ts';
import type { BenchReport } from '../harness.ts';
import { shapeSize } from '../workloads.ts';
import { barChart, lineChart, type Series } from './svg.ts';

/** A chart file: name (`*.svg`), alt text, and its SVG. */
export interface Chart {
  file: string;
  title: string;
  svg: string;
}

function seriesFor(r: BenchReport, kind: 'chain' | 'fanout', value: 'perNodeMs' | 'ms'): Series[] {
  const ids = [...new Set(r.scaling.map((c) => c.engine))] as EngineId[];
  return ids.map((id) => ({
    name: SHORT[id],
    dashed: !id.startsWith('llmctl'),
    points: r.scaling
      .filter((c) => c.engine === id && c.shape.kind === kind && !c.error && c.ms.n > 0)
      .map((c) => ({ x: shapeSize(c.shape), y: c[value].median, yMin: c[value].min, yMax: c[value].max })),
  })).filter((s) => s.points.length > 0);
}

/** Every chart of a report. */
export function buildCharts(r: BenchReport): Chart[] {
  const charts: Chart[] = [];
  const scaling = (kind: 'chain' | 'fanout', what: string): void => {
    if (!r.scaling.some((c) => c.shape.kind === kind)) return;
    const x = kind === 'chain' ? 'nodes in the chain' : 'fan-out width N (1 → N → 1)';
    charts.push({
      file: `${kind}-per-node.svg`, title: `${what}: time per work node vs graph size`,
      svg: lineChart({ title: `${what}: ms per work node`, xLabel: x, yLabel: 'ms per work node', series: seriesFor(r, kind, 'perNodeMs'), logX: true }),
    });
    charts.push({
      file: `${kind}-total.svg`, title: `${what}: run time vs graph size`,
      svg: lineChart({ title: `${what}: wall time of one run`, xLabel: x, yLabel: 'ms per run', series: seriesFor(r, kind, 'ms'), logX: true, logY: true }),
    });
  };
  scaling('chain', 'Chain');
  scaling('fanout', 'Fan-out / fan-in (all)');

  const fp = r.footprint.filter((f) => f.label === r.footprint[0]?.label);
  if (fp.length > 0) {
    charts.push({
      file: 'db-writes-per-node.svg', title: `Database writes per work node (${fp[0]!.label})`,
      svg: barChart({
        title: `Database writes per work node (${fp[0]!.label})`, yLabel: 'KiB per work node',
        categories: ['table + index growth', 'WAL'],
        groups: fp.map((f) => ({ name: SHORT[f.engine], values: [f.bytesPerNode / 1024, f.walPerNode / 1024] })),
      }),
    });
  }
  const conc = r.concurrency.filter((c) => !c.skipped);
  if (conc.length > 0) {
    const groups = [
      { name: 'baseline (after warm-up)', values: conc.map((c) => c.baselineRssMb) },
      { name: `peak (${conc[0]!.runs} concurrent)`, values: conc.map((c) => c.peakRssMb) },
    ];
    const cats = conc.map((c) => SHORT[c.engine]);
    if (r.emptyProcessRssMb !== null) {
      cats.unshift('idle node+tsx');
      groups[0]!.values.unshift(r.emptyProcessRssMb);
      groups[1]!.values.unshift(Number.NaN);
    }
    if (r.serverLoad && !r.serverLoad.skipped) {
      cats.push('llmctl serve (HTTP)');
      groups[0]!.values.push(r.serverLoad.baselineRssMb);
      groups[1]!.values.push(r.serverLoad.peakRssMb);
    }
    charts.push({
      file: 'rss.svg', title: 'Resident memory with concurrent runs',
      svg: barChart({ title: `Process RSS with ${conc[0]!.runs} concurrent 3-node runs`, yLabel: 'MB', categories: cats, groups, reference: { value: 200, label: 'aim: 200 MB' } }),
    });
  }
  return charts;
}
