import client from 'prom-client';
import type pg from 'pg';
import type { EventBus } from '@llmctl/runtime';
import { isRunEndStatus } from '@llmctl/contracts';
import { queueStats } from '@llmctl/executors';
import { readStatusCounts } from '@llmctl/store';

/** Run statuses a run ends in. */

/**
 * Prometheus metrics of one server. Nothing scans the history at scrape time: finished runs are counters this
 * server increments as the runs it executes start and end (sum them across servers); active runs and queued /
 * running node runs are gauges read through partial indexes over live rows only (true across processes); the
 * number of stored runs is the planner's estimate. Plus node-run durations, provider latency and errors, publish lag.
 */
export class ServerMetrics {
  readonly registry = new client.Registry();
  readonly nodeRunDuration = new client.Histogram({ name: 'llmctl_node_run_duration_seconds', help: 'Node run duration from start to finish', labelNames: ['node_type', 'status'], buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60, 300], registers: [this.registry] });
  readonly providerLatency = new client.Histogram({ name: 'llmctl_provider_call_duration_seconds', help: 'Model provider call latency', labelNames: ['provider', 'status'], buckets: [0.01, 0.05, 0.2, 1, 5, 20, 60], registers: [this.registry] });
  readonly providerErrors = new client.Counter({ name: 'llmctl_provider_call_errors_total', help: 'Model provider call errors by code', labelNames: ['provider', 'code'], registers: [this.registry] });
  readonly publishLag = new client.Histogram({ name: 'llmctl_event_publish_lag_seconds', help: 'Time from the event decision to its publication after commit', buckets: [0.0005, 0.001, 0.005, 0.02, 0.1, 0.5], registers: [this.registry] });
  private readonly collectors: (() => Promise<void>)[] = [];
  readonly eventsPublished = new client.Counter({ name: 'llmctl_events_published_total', help: 'Committed run events published', labelNames: ['event_type'], registers: [this.registry] });
  readonly runsStarted = new client.Counter({ name: 'llmctl_runs_started_total', help: 'Runs started by this server', registers: [this.registry] });
  readonly runsFinished = new client.Counter({ name: 'llmctl_runs_finished_total', help: 'Run finish transitions on this server (to succeeded, failed or canceled), by status: a rewound run that ends again counts again, so this counts finishes, not distinct runs', labelNames: ['status'], registers: [this.registry] });

  constructor(pool: pg.Pool, bus: EventBus) {
    const runs = new client.Gauge({ name: 'llmctl_runs', help: 'Active runs by status (queued, running, pausing, paused, canceling)', labelNames: ['status'], registers: [this.registry] });
    const stored = new client.Gauge({ name: 'llmctl_runs_stored_estimate', help: 'Stored runs, all statuses (the planner estimate, not a count)', registers: [this.registry] });
    const queue = new client.Gauge({ name: 'llmctl_node_runs_queued', help: 'Queued node runs of active runs (queue depth)', registers: [this.registry] });
    const running = new client.Gauge({ name: 'llmctl_node_runs_running', help: 'Running node runs', registers: [this.registry] });
    this.collectors.push(async () => {
      const counts = await readStatusCounts(pool);
      runs.reset();
      for (const row of counts.runs) runs.set({ status: row.status }, row.n);
      stored.set(counts.storedRunsEstimate);
      queue.set(counts.nodeRuns.queued);
      running.set(counts.nodeRuns.running);
    });
    const execQueue = new client.Gauge({ name: 'llmctl_executor_queue_depth', help: 'Node attempts waiting for a queue worker', registers: [this.registry] });
    const execActive = new client.Gauge({ name: 'llmctl_executor_attempts_active', help: 'Node attempts running on queue workers', registers: [this.registry] });
    const execWorkers = new client.Gauge({ name: 'llmctl_executor_live_workers', help: 'Queue workers with a fresh heartbeat', registers: [this.registry] });
    this.collectors.push(async () => {
      const q = await queueStats(pool);
      execQueue.set(q.depth);
      execActive.set(q.active);
      execWorkers.set(q.live_workers);
    });
    client.collectDefaultMetrics({ register: this.registry, prefix: 'llmctl_' });
    const started = new Map<string, number>();
    const types = new Map<string, string>();
    bus.onEvent((e) => {
      this.eventsPublished.inc({ event_type: e.event_type });
      const p = e.payload as { kind: string; node_run_id?: string; at?: string; node_id?: string; node_run?: { id: string; node_type: string }; status?: string };
      if (p.kind === 'run.started') this.runsStarted.inc();
      if (p.kind === 'run.status' && p.status && isRunEndStatus(p.status)) this.runsFinished.inc({ status: p.status });
      if (p.kind === 'node.queued' && p.node_run) types.set(p.node_run.id, p.node_run.node_type);
      if (p.at) this.publishLag.observe(Math.max(0, Date.now() - Date.parse(p.at)) / 1000);
      if (p.kind === 'node.started' && p.node_run_id && p.at) started.set(p.node_run_id, Date.parse(p.at));
      if ((p.kind === 'node.succeeded' || p.kind === 'node.failed' || p.kind === 'node.canceled' || p.kind === 'node.requeued') && p.node_run_id) {
        const t0 = started.get(p.node_run_id);
        started.delete(p.node_run_id);
        const nodeType = types.get(p.node_run_id) ?? 'unknown';
        if (p.kind !== 'node.requeued') types.delete(p.node_run_id);
        if (t0 !== undefined && p.at) this.nodeRunDuration.observe({ node_type: nodeType, status: p.kind.slice(5) }, (Date.parse(p.at) - t0) / 1000);
      }
    });
  }

  /** Observes one finished model call (wired to the model-call log). */
  observeModelCall(provider: string, startedAt: string, finishedAt: string, errorCode: string | null): void {
    this.providerLatency.observe({ provider, status: errorCode ? 'failed' : 'succeeded' }, Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) / 1000);
    if (errorCode) this.providerErrors.inc({ provider, code: errorCode });
  }

  /** The exposition text (collects database-backed gauges first). */
  async text(): Promise<string> {
    for (const c of this.collectors) await c();
    return this.registry.metrics();
  }
}
