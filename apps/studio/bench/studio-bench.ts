/**
 * Browser benchmark of the studio (not a test): `node --import tsx apps/studio/bench/studio-bench.ts [--opens N]`.
 *
 * 1. A 1,000-node flowchart opens in the editor and becomes interactive (cold opens in fresh browser contexts:
 *    navigation → every node rendered → a click on a node has selected it). Aim: under 1.5 s.
 * 2. A run with 500 node runs streams live into the run view with no dropped events (the page is compared with the
 *    server's event log and node runs).
 *
 * Prints one JSON object and writes apps/studio/bench/report.md.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/support/browser.ts';
import { bigFlowchart, wideRun, withoutPositions } from './bench-documents.ts';
import { startBenchServer } from './bench-server.ts';
import { measureEditorOpen, type EditorOpenSample } from './measure-editor-open.ts';
import { measureLiveRun } from './measure-live-run.ts';
import { renderReport, type BenchResult } from './bench-report.ts';

const REPORT = fileURLToPath(new URL('./report.md', import.meta.url));
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const OPENS = arg('opens', 5);

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
  const server = await startBenchServer();
  const browser = await launchBrowser();
  try {
    await server.api('POST', '/api/models', { name: 'bench-model', provider: 'scripted', model: 'scripted', settings: { responses: [{ match: 'Gate', output: 'go', delay_ms: 1500 }, { output: 'ok' }] } });
    const big = await server.api<{ id: string }>('POST', '/api/flowcharts', bigFlowchart('bench-model', NODES));
    const bare = await server.api<{ id: string }>('POST', '/api/flowcharts', withoutPositions(bigFlowchart('bench-model', NODES)));
    const wide = await server.api<{ id: string }>('POST', '/api/flowcharts', wideRun('bench-model', NODE_RUNS));

    // One warm-up open (server-side caches, the browser's first process start), not reported.
    await measureEditorOpen(browser, server.url, big.id, NODES);
    const positioned: EditorOpenSample[] = [];
    for (let i = 0; i < OPENS; i++) positioned.push(await measureEditorOpen(browser, server.url, big.id, NODES));
    const laidOut: EditorOpenSample[] = [];
    for (let i = 0; i < Math.max(1, Math.ceil(OPENS / 2)); i++) laidOut.push(await measureEditorOpen(browser, server.url, bare.id, NODES));

    const live = await measureLiveRun(browser, server.url, server.api, wide.id, NODE_RUNS);

    const editor = summarize(positioned);
    const result: BenchResult = {
      machine: { load_before: round1(loadBefore), load_after: round1(loadavg()[0]!), cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', mem_gb: Math.round(totalmem() / 2 ** 30), node: process.version, chromium: browser.version() },
      editor_open: { nodes: NODES, opens: OPENS, aim_ms: AIM_MS, met: editor.open_to_interactive_ms.median < AIM_MS, ...editor },
      editor_open_without_positions: { nodes: NODES, opens: laidOut.length, ...summarize(laidOut) },
      live_run: {
        node_runs: NODE_RUNS,
        no_dropped_events:
          live.events_missing_from_socket === 0 &&
          live.last_sequence_shown === live.last_sequence_server &&
          live.node_runs_shown === live.node_runs_server &&
          live.rows_with_wrong_status === 0,
        ...live,
      },
    };
    await writeFile(REPORT, renderReport(result));
    process.stdout.write(`${JSON.stringify(result, (k, v) => (k === 'samples' ? undefined : v), 2)}\n`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
