/**
 * A/B benchmark of two studio builds under Chromium performance traces (not a test):
 * `node --import tsx apps/studio/bench/studio-ab-bench.ts --a DIR [--b DIR] [--rounds N] [--json FILE]`.
 *
 * Two `llmctl serve` processes on one database serve build A (e.g. a copy of an older dist) and build B (default: the
 * current build); every round measures both, in alternating order, so the machine's load falls on both alike. Per
 * build and round: a cold open of the 1,000-node flowchart (open to interactive, see measure-editor-open.ts) and the
 * four pan/zoom gestures and a node drag on the 5,000-node one (see measure-pan-zoom.ts), each traced: the renderer main thread's CPU
 * time and its longest task (main-thread-trace.ts), which hold up better than wall times on a shared machine.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { createScratchDatabase } from '@llmctl/store';
import { startTestCluster } from '../../../scripts/test-cluster.mjs';
import { callApi, startChildServer, stopChildServer } from '../../server/test/support/child-server.ts';
import { ensureStudioBuild } from '../e2e/support/studio-build.ts';
import { launchBrowser } from '../e2e/support/browser.ts';
import { bigFlowchart } from './bench-documents.ts';
import { measureEditorOpen, type NodeSpot } from './measure-editor-open.ts';
import { measurePanZoom } from './measure-pan-zoom.ts';

const str = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const A = str('a');
if (!A) throw new Error('--a DIR (the build to compare with) is required');
const ROUNDS = Number(str('rounds') ?? 3);
const JSON_OUT = str('json');

const spots = (doc: ReturnType<typeof bigFlowchart>): NodeSpot[] => doc.nodes.map((n) => [n.id, Number(n.ui?.x), Number(n.ui?.y)]);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const B = str('b') ?? (await ensureStudioBuild());
  const cluster = await startTestCluster();
  const db = await createScratchDatabase(cluster.url);
  const servers = { a: await startChildServer(db.url, { LLMCTL_STUDIO_DIST: A! }), b: await startChildServer(db.url, { LLMCTL_STUDIO_DIST: B }) };
  const browser = await launchBrowser();
  try {
    const api = (method: string, path: string, body?: unknown) => callApi(servers.a.url, method, path, body);
    await api('POST', '/api/models', { name: 'bench-model', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: 'ok' }] } });
    const doc1 = bigFlowchart('bench-model', 1000);
    const doc5 = bigFlowchart('bench-model', 5000, 50);
    const f1 = (await api('POST', '/api/flowcharts', doc1)) as { id: string };
    const f5 = (await api('POST', '/api/flowcharts', doc5)) as { id: string };
    const rows: Record<'a' | 'b', Record<string, number>[]> = { a: [], b: [] };
    for (const k of ['a', 'b'] as const) await measureEditorOpen(browser, servers[k].url, f1.id, spots(doc1)); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      for (const k of order) {
        const load = loadavg()[0]!;
        const open = await measureEditorOpen(browser, servers[k].url, f1.id, spots(doc1), true);
        const pan = await measurePanZoom(browser, servers[k].url, f5.id, true);
        const gestures = [pan.pan_at_100, pan.zoom_out, pan.pan_at_min_zoom, pan.zoom_in];
        const row = {
          load,
          open_to_interactive_ms: open.open_to_interactive_ms,
          open_main_cpu_ms: open.main!.cpu_ms,
          open_longest_task_ms: open.main!.longest_task_ms,
          open_max_task_cpu_ms: open.main!.max_task_cpu_ms,
          pan_worst_fps: pan.worst_fps,
          pan_at_100_fps: pan.pan_at_100.fps,
          zoom_in_fps: pan.zoom_in.fps,
          zoom_in_max_frame_ms: pan.zoom_in.max_frame_ms,
          zoom_in_max_task_cpu_ms: pan.zoom_in.main!.max_task_cpu_ms,
          zoom_in_cpu_ms: pan.zoom_in.main!.cpu_ms,
          zoom_out_max_task_cpu_ms: pan.zoom_out.main!.max_task_cpu_ms,
          pan_at_100_cpu_per_frame_ms: Math.round((pan.pan_at_100.main!.cpu_ms / pan.pan_at_100.frames) * 100) / 100,
          pan_at_100_max_task_cpu_ms: pan.pan_at_100.main!.max_task_cpu_ms,
          gestures_max_frame_ms: Math.max(...gestures.map((g) => g.max_frame_ms)),
          gestures_max_task_cpu_ms: Math.max(...gestures.map((g) => g.main!.max_task_cpu_ms)),
          drag_fps: pan.drag_node.fps,
          drag_cpu_per_frame_ms: Math.round((pan.drag_node.main!.cpu_ms / pan.drag_node.frames) * 100) / 100,
          drag_max_task_cpu_ms: pan.drag_node.main!.max_task_cpu_ms,
        };
        rows[k].push(row);
        process.stderr.write(`round ${round + 1} ${k}: ${JSON.stringify(row)}\n`);
      }
    }
    const summary = Object.fromEntries(
      (['a', 'b'] as const).map((k) => [k, Object.fromEntries(Object.keys(rows[k][0] ?? {}).map((f) => [f, { median: median(rows[k].map((r) => r[f]!)), min: Math.min(...rows[k].map((r) => r[f]!)), max: Math.max(...rows[k].map((r) => r[f]!)) }]))]),
    );
    const out = { a: A, b: B, rounds: ROUNDS, summary, rows };
    if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify(out, null, 1));
    process.stdout.write(`${JSON.stringify({ a: A, b: B, rounds: ROUNDS, summary }, null, 1)}\n`);
  } finally {
    await browser.close();
    await stopChildServer(servers.a, 'SIGTERM');
    await stopChildServer(servers.b, 'SIGTERM');
    await db.drop().catch(() => undefined);
    await cluster.stop();
  }
}

await main();
