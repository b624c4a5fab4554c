/**
 * Browser benchmark of the studio (not a test):
 * `node --import tsx apps/studio/bench/studio-bench.ts [--opens N] [--only open,big,pan,live] [--dist DIR] [--json FILE]`.
 *
 * 1. `open`: a 1,000-node flowchart opens in the editor and becomes interactive (cold opens in fresh browser contexts:
 *    navigation → every node on screen rendered → a click on a node has selected it). Aim: under 1.5 s.
 * 2. `big`: the same for a 5,000-node flowchart.
 * 3. `pan`: frames per second while panning and zooming the 1,000- and the 5,000-node flowchart. Aim: above 30.
 * 4. `live`: a run with 500 node runs streams live into the run view with no dropped events (the page is compared
 *    with the server's event log and node runs).
 *
 * `--dist DIR` serves another studio build (e.g. one of an older commit, for before/after figures). Prints one JSON
 * object (also to `--json FILE`); writes apps/studio/bench/report.md when every section ran on the current build.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/support/browser.ts';
import type { FlowchartDocument } from '@llmctl/contracts';
import { bigFlowchart, wideRun, withoutPositions } from './bench-documents.ts';
import { startBenchServer } from './bench-server.ts';
import { measureEditorOpen, type EditorOpenSample, type NodeSpot } from './measure-editor-open.ts';
import { measurePanZoom, type PanZoomSample } from './measure-pan-zoom.ts';
import { measureLiveRun } from './measure-live-run.ts';
import { renderReport, type BenchResult } from './bench-report.ts';
import { layoutPositions } from '../src/core/layout.ts';

const REPORT = fileURLToPath(new URL('./report.md', import.meta.url));
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const OPENS = arg('opens', 5);
const strArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ONLY = new Set((strArg('only') ?? 'open,big,pan,live').split(','));
const DIST = strArg('dist');
const JSON_OUT = strArg('json');
const BIG_NODES = 5000;
const PAN_RUNS = arg('pan-runs', 3);
const FPS_AIM = 30;

/** Where each node of a document sits on the canvas: its stored position, else the layout the studio computes. */
function spotsOf(doc: FlowchartDocument): NodeSpot[] {
  const laid = doc.nodes.some((n) => typeof n.ui?.x !== 'number')
    ? layoutPositions(doc.nodes.map((n) => n.id), doc.edges.filter((e) => e.mode !== 'context'), { roots: doc.nodes.filter((n) => n.type === 'start').map((n) => n.id) })
    : null;
  return doc.nodes.map((n) => {
    const p = laid?.get(n.id) ?? { x: Number(n.ui?.x), y: Number(n.ui?.y) };
    return [n.id, p.x, p.y];
  });
}

function summarizePan(samples: PanZoomSample[]) {
  const med = (f: (s: PanZoomSample) => number) => {
    const v = samples.map(f).sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)] ?? NaN, min: v[0] ?? NaN, max: v.at(-1) ?? NaN };
  };
  return {
    runs: samples.length,
    worst_fps: med((s) => s.worst_fps),
    pan_at_100_fps: med((s) => s.pan_at_100.fps),
    zoom_out_fps: med((s) => s.zoom_out.fps),
    pan_at_min_zoom_fps: med((s) => s.pan_at_min_zoom.fps),
    zoom_in_fps: med((s) => s.zoom_in.fps),
    samples,
  };
}

const NODES = 1000;
const NODE_RUNS = 500;
const AIM_MS = 1500;
const round1 = (x: number): number => Math.round(x * 10) / 10;

function summarize(samples: EditorOpenSample[]) {
  const stat = (k: keyof EditorOpenSample) => {
    const v = samples.map((s) => s[k]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)] ?? NaN, min: v[0] ?? NaN, max: v.at(-1) ?? NaN };
  };
  return {
    open_to_interactive_ms: stat('open_to_interactive_ms'),
    scripts_loaded_ms: stat('scripts_loaded_ms'),
    flowchart_fetched_ms: stat('flowchart_fetched_ms'),
    first_node_ms: stat('first_node_ms'),
    nodes_visible_ms: stat('nodes_visible_ms'),
    main_thread_free_ms: stat('main_thread_free_ms'),
    click_to_selected_ms: stat('click_to_selected_ms'),
    total_blocking_ms: stat('total_blocking_ms'),
    harness_wall_ms: stat('harness_wall_ms'),
    dom_nodes: samples[0]?.dom_nodes ?? 0,
    js_heap_mb: samples[0]?.js_heap_mb ?? null,
    samples,
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const server = await startBenchServer(DIST);
  const browser = await launchBrowser();
  try {
    await server.api('POST', '/api/models', { name: 'bench-model', provider: 'scripted', model: 'scripted', settings: { responses: [{ match: 'Gate', output: 'go', delay_ms: 1500 }, { output: 'ok' }] } });
    const bigDoc = bigFlowchart('bench-model', NODES);
    const bareDoc = withoutPositions(bigFlowchart('bench-model', NODES));
    const hugeDoc = bigFlowchart('bench-model', BIG_NODES, 50);
    const big = await server.api<{ id: string }>('POST', '/api/flowcharts', bigDoc);
    const bare = await server.api<{ id: string }>('POST', '/api/flowcharts', bareDoc);
    const huge = await server.api<{ id: string }>('POST', '/api/flowcharts', hugeDoc);
    const out: Record<string, unknown> = {};

    if (ONLY.has('open')) {
      // One warm-up open (server-side caches, the browser's first process start), not reported.
      await measureEditorOpen(browser, server.url, big.id, spotsOf(bigDoc));
      const positioned: EditorOpenSample[] = [];
      for (let i = 0; i < OPENS; i++) positioned.push(await measureEditorOpen(browser, server.url, big.id, spotsOf(bigDoc)));
      const laidOut: EditorOpenSample[] = [];
      for (let i = 0; i < Math.max(1, Math.ceil(OPENS / 2)); i++) laidOut.push(await measureEditorOpen(browser, server.url, bare.id, spotsOf(bareDoc)));
      const editor = summarize(positioned);
      out.editor_open = { nodes: NODES, opens: OPENS, aim_ms: AIM_MS, met: editor.open_to_interactive_ms.median < AIM_MS, ...editor };
      out.editor_open_without_positions = { nodes: NODES, opens: laidOut.length, ...summarize(laidOut) };
    }
    if (ONLY.has('big')) {
      const samples: EditorOpenSample[] = [];
      for (let i = 0; i < Math.max(1, Math.ceil(OPENS / 2)); i++) samples.push(await measureEditorOpen(browser, server.url, huge.id, spotsOf(hugeDoc)));
      out.editor_open_5000 = { nodes: BIG_NODES, opens: samples.length, ...summarize(samples) };
    }
    if (ONLY.has('pan')) {
      const small: PanZoomSample[] = [];
      const large: PanZoomSample[] = [];
      for (let i = 0; i < PAN_RUNS; i++) {
        small.push(await measurePanZoom(browser, server.url, big.id));
        large.push(await measurePanZoom(browser, server.url, huge.id));
      }
      const s1 = summarizePan(small);
      const s5 = summarizePan(large);
      out.pan_zoom = { aim_fps: FPS_AIM, nodes_1000: s1, nodes_5000: { ...s5, met: s5.worst_fps.median > FPS_AIM } };
    }
    if (ONLY.has('live')) {
      const wide = await server.api<{ id: string }>('POST', '/api/flowcharts', wideRun('bench-model', NODE_RUNS));
      const live = await measureLiveRun(browser, server.url, server.api, wide.id, NODE_RUNS);
      out.live_run = {
        node_runs: NODE_RUNS,
        no_dropped_events:
          live.events_missing_from_socket === 0 &&
          live.last_sequence_shown === live.last_sequence_server &&
          live.node_runs_shown === live.node_runs_server &&
          live.rows_with_wrong_status === 0,
        ...live,
      };
    }
    out.machine = { load_before: round1(loadBefore), load_after: round1(loadavg()[0]!), cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', mem_gb: Math.round(totalmem() / 2 ** 30), node: process.version, chromium: browser.version(), dist: DIST ?? 'current build' };
    const text = JSON.stringify(out, (k, v) => (k === 'samples' ? undefined : v), 2);
    if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify(out, null, 1));
    if (['open', 'big', 'pan', 'live'].every((k) => ONLY.has(k))) await writeFile(REPORT, renderReport(out as unknown as BenchResult));
    process.stdout.write(`${text}\n`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
