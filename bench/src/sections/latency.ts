import pg from 'pg';
import type { Engine, EngineId } from '../engines.ts';
import type { LlmctlDriver } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import { epochMs, percentile, summarize, type Summary } from '../stats.ts';

/** End-to-end latency of the 3-node flow on one engine (sequential runs, after a warm-up). */
export interface LatencyResult {
  engine: EngineId;
  ms: Summary;
  p99: number;
}

/** Sequential 3-node runs on every engine: start call → terminal, min / median / p99 / max. */
export async function runLatency(engines: Engine[], runs: number, log: (msg: string) => void): Promise<LatencyResult[]> {
  const out: LatencyResult[] = [];
  for (const e of engines) {
    const na = e.notApplicable?.({ kind: 'flow3' }) ?? null;
    if (na) {
      log(`  3-node run ${e.info.id.padEnd(20)} n/a: ${na}`);
      continue;
    }
    const run = await e.prepare({ kind: 'flow3' });
    for (let i = 0; i < Math.min(5, runs); i++) await run();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await run());
    e.reset();
    const r = { engine: e.info.id, ms: summarize(samples), p99: percentile(samples, 99) };
    out.push(r);
    log(`  3-node run ${e.info.id.padEnd(20)} median ${r.ms.median.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
  }
  return out;
}

/** Latency from the commit of an event to its delivery, over one path. */
export interface EventLatency {
  /** `bus`: in-process event bus (what the realtime layer subscribes to); `notify`: PostgreSQL NOTIFY to another connection (what other processes use). */
  path: 'bus' | 'notify';
  events: number;
  ms: Summary;
  p50: number;
  p99: number;
}

/**
 * Commit-to-delivery latency of llmctl's events. The reference point is the event row's `created_at`, which
 * PostgreSQL sets to the start of the commit's transaction (a commit is one statement), so the figure covers the
 * commit statement, its fsync, the reply and the publication. Measured on sequential 3-node task runs plus one
 * 50-node chain. The NOTIFY path is matched on the last event of each commit.
 */
export async function runEventLatency(d: LlmctlDriver, runs: number, log: (msg: string) => void): Promise<EventLatency[]> {
  const received = new Map<string, number>();
  const notified = new Map<string, number>();
  const listener = new pg.Client({ connectionString: d.db.url });
  await listener.connect();
  try {
    listener.on('notification', (n) => {
      const at = epochMs();
      try {
        const p = JSON.parse(n.payload ?? '{}') as { run_id?: string; last_sequence?: number };
        if (p.run_id && typeof p.last_sequence === 'number') notified.set(`${p.run_id}:${p.last_sequence}`, at);
      } catch {
        // not ours
      }
    });
    await listener.query('LISTEN llmctl_run_events');
    const off = d.onEvent((e, at) => received.set(`${e.run_id}:${e.sequence}`, at));
    const ids: string[] = [];
    try {
      const flow3 = await d.save(llmctlDocument({ kind: 'flow3' }, 'task'));
      const chain = await d.save(llmctlDocument({ kind: 'chain', nodes: 50 }, 'task'));
      for (let i = 0; i < runs; i++) ids.push((await d.runOk(flow3)).runId);
      ids.push((await d.runOk(chain)).runId);
      await new Promise((r) => setTimeout(r, 200)); // let the last notifications arrive
    } finally {
      off();
    }
    const rows = await d.db.pool.query<{ run_id: string; sequence: number; t: number }>(
      `SELECT run_id, sequence, (extract(epoch from created_at) * 1000)::float8 AS t FROM run_events WHERE run_id = ANY($1::text[])`, [ids]);
    const bus: number[] = [];
    const notify: number[] = [];
    for (const r of rows.rows) {
      const key = `${r.run_id}:${r.sequence}`;
      const b = received.get(key);
      if (b !== undefined) bus.push(b - r.t);
      const n = notified.get(key);
      if (n !== undefined) notify.push(n - r.t);
    }
    const result = (path: EventLatency['path'], v: number[]): EventLatency => ({ path, events: v.length, ms: summarize(v), p50: percentile(v, 50), p99: percentile(v, 99) });
    const out = [result('bus', bus), result('notify', notify)];
    for (const r of out) log(`  event commit → ${r.path.padEnd(6)} p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms over ${r.events} events`);
    return out;
  } finally {
    await listener.end().catch(() => undefined);
  }
}
