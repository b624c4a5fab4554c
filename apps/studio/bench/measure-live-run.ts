/**
 * A run with many node runs streaming into the run view. The run is started through the API and its page opened at
 * once; a slow first task ("gate") keeps the burst for after the page has subscribed. The harness records every
 * Socket.IO frame the page receives (sequence, arrival time) and every catch-up request, and the page records when
 * it first shows the final state. Then the page is compared with the server: events received vs the server's log
 * (missing, duplicated, out of order), the last sequence the page applied, one timeline row per node run with the
 * server's status.
 */
import type { Browser, Request } from 'playwright-core';
import type { EventEnvelope } from '@llmctl/contracts';
import { connectRealtime, subscribe } from '../../server/test/support/realtime.ts';

/** Result of one streamed run. */
export interface LiveRunResult {
  node_runs_server: number;
  node_runs_shown: number;
  rows_with_wrong_status: number;
  events_in_log: number;
  last_sequence_server: number;
  last_sequence_shown: number;
  events_received_live: number;
  events_missing_from_socket: number;
  events_duplicated: number;
  events_out_of_order: number;
  token_events_received: number;
  /** WebSockets the page opened (more than one: it lost its connection and reconnected). */
  page_socket_connections: number;
  /** A Node socket.io client subscribed to the same run (after_sequence 0): what the server delivered. */
  reference_client: { received: number; missing: number; duplicated: number; latency_ms: { p50: number; p95: number; max: number } };
  catch_up_requests: number;
  run_refetches: number;
  run_duration_ms: number;
  /** From the server's last event (`emitted_at`) until the page showed the final state. */
  ui_lag_after_last_event_ms: number;
  delivery_latency_ms: { p50: number; p95: number; max: number };
  long_tasks_during_run: number;
  total_blocking_ms: number;
}

interface Frame {
  sequence: number | null;
  type: string;
  emitted: number;
  at: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LivePageWindow {
  __live: { doneAt: number | null; longTasks: number[]; expected: number };
}

function probe(expected: number): void {
  const w = window as unknown as LivePageWindow;
  const s: LivePageWindow['__live'] = { doneAt: null, longTasks: [], expected };
  w.__live = s;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) s.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  const frame = (): void => {
    const status = document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status');
    const rows = document.querySelectorAll('[data-testid^="node-run-"][data-node-id]').length;
    if (status === 'succeeded' && rows >= s.expected) s.doneAt = Date.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Streams one run of `flowchartId` (expected to make `expectedNodeRuns` node runs) into a fresh page. */
export async function measureLiveRun(
  browser: Browser,
  baseURL: string,
  api: <T = any>(method: string, path: string, body?: unknown) => Promise<T>,
  flowchartId: string,
  expectedNodeRuns: number,
): Promise<LiveRunResult> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(180_000);
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  await context.addInitScript(probe, expectedNodeRuns);
  const page = await context.newPage();
  const frames: Frame[] = [];
  let tokens = 0;
  let sockets = 0;
  page.on('websocket', (ws) => {
    sockets++;
    ws.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      if (!text.startsWith('42/rt,')) return;
      try {
        const [name, env] = JSON.parse(text.slice('42/rt,'.length)) as [string, { sequence?: number | null; event_type?: string; emitted_at?: string }];
        if (name !== 'event' || !env) return;
        if (env.event_type === 'flowchart:node:token') tokens++;
        else frames.push({ sequence: env.sequence ?? null, type: env.event_type ?? '?', emitted: Date.parse(env.emitted_at ?? ''), at: Date.now() });
      } catch {
        /* not an event frame */
      }
    });
  });
  let catchUps = 0;
  let refetches = 0;
  const onRequest = (r: Request): void => {
    const u = new URL(r.url());
    if (/^\/api\/runs\/[^/]+\/events$/.test(u.pathname)) catchUps++;
    else if (/^\/api\/runs\/[^/]+$/.test(u.pathname)) refetches++;
  };
  page.on('request', onRequest);
  const ref = await connectRealtime(baseURL);
  try {
    const refEvents: { sequence: number; at: number; emitted: number }[] = [];
    ref.on('event', (e: EventEnvelope) => {
      if (typeof e.sequence === 'number') refEvents.push({ sequence: e.sequence, at: Date.now(), emitted: Date.parse(e.emitted_at ?? '') });
    });
    const run = await api<{ id: string }>('POST', `/api/flowcharts/${encodeURIComponent(flowchartId)}/runs`, { input: { text: 'bench' } });
    const refAck = (await subscribe(ref, { rooms: [`run:${run.id}`], after_sequence: 0 })) as { ok: boolean };
    if (!refAck.ok) throw new Error(`reference subscribe failed: ${JSON.stringify(refAck)}`);
    await page.goto(`/runs/${encodeURIComponent(run.id)}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as LivePageWindow).__live.doneAt !== null, undefined, { polling: 100 });
    const probeResult = await page.evaluate(() => (window as unknown as LivePageWindow).__live);

    // The server's record.
    const server = await api<{ status: string; started_at: string; finished_at: string; node_runs: { id: string; status: string }[] }>('GET', `/api/runs/${run.id}`);
    const log: { sequence: number; emitted_at?: string; created_at?: string }[] = [];
    for (let after = 0; ; ) {
      const page1 = await api<typeof log>('GET', `/api/runs/${run.id}/events?after_sequence=${after}&limit=1000`);
      log.push(...page1);
      if (page1.length < 1000) break;
      after = page1[page1.length - 1]!.sequence;
    }
    const lastServer = log.reduce((m, e) => Math.max(m, e.sequence), 0);
    const lastEmitted = Math.max(...log.map((e) => Date.parse(e.emitted_at ?? e.created_at ?? '')).filter(Number.isFinite));

    // Once the page shows the final state it must have applied the last sequence too (it is in the toolbar's title).
    await page.waitForFunction(
      (last) => new RegExp(`last sequence ${last}\\b`).test(document.querySelector('[data-testid="live-status"]')?.getAttribute('title') ?? ''),
      lastServer,
      { timeout: 10_000 },
    ).catch(() => undefined);
    const shown = await page.evaluate(() => {
      const title = document.querySelector('[data-testid="live-status"]')?.getAttribute('title') ?? '';
      const rows = [...document.querySelectorAll('[data-testid^="node-run-"][data-node-id]')].map((el) => ({
        id: (el.getAttribute('data-testid') ?? '').replace(/^node-run-/, ''),
        status: el.getAttribute('data-status') ?? '',
      }));
      return { last: Number(/last sequence (\d+)/.exec(title)?.[1] ?? NaN), rows };
    });
    const byId = new Map(server.node_runs.map((n) => [n.id, n.status]));
    const live = frames.filter((f) => f.sequence !== null);
    const seqs = live.map((f) => f.sequence!);
    const seen = new Set(seqs);
    const firstLive = seqs.length ? Math.min(...seqs) : lastServer + 1;
    let outOfOrder = 0;
    for (let i = 1; i < seqs.length; i++) if (seqs[i]! < seqs[i - 1]!) outOfOrder++;
    const missing = log.filter((e) => e.sequence >= firstLive && !seen.has(e.sequence)).length;
    const latencies = live.map((f) => f.at - f.emitted).filter(Number.isFinite).sort((a, b) => a - b);
    const long = probeResult.longTasks;
    const refSeqs = refEvents.map((e) => e.sequence);
    const refSeen = new Set(refSeqs);
    const refLat = refEvents.map((e) => e.at - e.emitted).filter(Number.isFinite).sort((a, b) => a - b);
    return {
      node_runs_server: server.node_runs.length,
      node_runs_shown: shown.rows.length,
      rows_with_wrong_status: shown.rows.filter((r) => byId.get(r.id) !== r.status).length,
      events_in_log: log.length,
      last_sequence_server: lastServer,
      last_sequence_shown: shown.last,
      events_received_live: seen.size,
      events_missing_from_socket: missing,
      events_duplicated: seqs.length - seen.size,
      events_out_of_order: outOfOrder,
      token_events_received: tokens,
      page_socket_connections: sockets,
      reference_client: {
        received: refSeen.size,
        missing: log.filter((e) => !refSeen.has(e.sequence)).length,
        duplicated: refSeqs.length - refSeen.size,
        latency_ms: { p50: pct(refLat, 50), p95: pct(refLat, 95), max: refLat.at(-1) ?? NaN },
      },
      catch_up_requests: catchUps,
      run_refetches: refetches,
      run_duration_ms: Date.parse(server.finished_at) - Date.parse(server.started_at),
      ui_lag_after_last_event_ms: (probeResult.doneAt ?? NaN) - lastEmitted,
      delivery_latency_ms: { p50: pct(latencies, 50), p95: pct(latencies, 95), max: latencies.at(-1) ?? NaN },
      long_tasks_during_run: long.length,
      total_blocking_ms: Math.round(long.reduce((s, d) => s + Math.max(0, d - 50), 0)),
    };
  } finally {
    ref.close();
    page.off('request', onRequest);
    await context.close();
  }
}
