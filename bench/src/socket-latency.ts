/**
 * Commit-to-client latency of realtime events over Socket.IO (issue 5: "p99 under 20 ms with 100 concurrent runs").
 *
 *   node --import tsx bench/src/socket-latency.ts [--runs 100] [--tasks 3] [--delay-ms 20] [--clients 1] [--admin-url URL]
 *
 * Starts an embedded PostgreSQL (fsync off; or uses --admin-url) and one llmctl server in this process, connects
 * `--clients` socket.io-client sockets from a worker thread (its own event loop, so client work does not delay the
 * server's) subscribed to the flowchart's room, starts `--runs` runs at once (start → tasks → end, scripted models
 * answering after `--delay-ms`), and measures, for every logged event, the time from the end of its commit (the
 * runtime publishes to its bus right after the commit resolves) to its arrival at each client. Both clocks are
 * `performance.timeOrigin + performance.now()` of the same process. Prints one JSON object.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';

interface ClientReport {
  /** event_id → arrival times (one per client). */
  arrivals: Record<string, number[]>;
  /** Per client and run: the sequences in arrival order. */
  orders: Record<string, number[]>[];
}

/**
 * The client side, run in a worker thread (plain JavaScript, so the worker needs no TypeScript loader): connects the
 * sockets, subscribes them to the room, timestamps every logged event on arrival and reports when asked.
 */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { io } = require(workerData.clientModule);
const { url, clients, room } = workerData;
const arrivals = {};
const orders = [];
Promise.all(Array.from({ length: clients }, (_, i) => new Promise((resolve, reject) => {
  const order = {};
  orders[i] = order;
  const s = io(url + '/rt', { path: '/api/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
  s.on('event', (e) => {
    const t = performance.timeOrigin + performance.now();
    if (e.sequence === null) return;
    (arrivals[e.event_id] ??= []).push(t);
    (order[e.run_id] ??= []).push(e.sequence);
  });
  s.once('connect', () => {
    s.timeout(10000).emitWithAck('subscribe', { rooms: [room] }).then((ack) => (ack.ok ? resolve(s) : reject(new Error('subscribe refused'))), reject);
  });
  s.once('connect_error', reject);
}))).then((sockets) => {
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', (m) => {
    if (m.type !== 'report') return;
    for (const s of sockets) s.close();
    parentPort.postMessage({ type: 'report', report: { arrivals, orders } });
  });
}, (err) => { throw err; });
`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (v: number): number => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100' }, tasks: { type: 'string', default: '3' }, 'delay-ms': { type: 'string', default: '20' },
      clients: { type: 'string', default: '1' }, 'admin-url': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const tasks = Number(values.tasks);
  const delayMs = Number(values['delay-ms']);
  const clients = Number(values.clients);
  const { openCluster } = await import('./cluster.ts');
  const { openDatabase } = await import('@llmctl/store');
  const { buildApp, loadConfig } = await import('@llmctl/server');

  const cluster = await openCluster({ fast: true, ...(values['admin-url'] ? { adminUrl: values['admin-url'] } : {}) });
  const scratch = await cluster.database('socklat');
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 20 });
  const app = await buildApp({ db, config: loadConfig({}, { logLevel: 'silent', studioDist: '/nonexistent', databaseUrl: scratch.url, rateLimit: null }) });
  let worker: Worker | undefined;
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const api = async (method: string, path: string, body?: unknown): Promise<any> => {
      const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json() as { ok: boolean; data: unknown; error?: unknown };
      if (!json.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.error)}`);
      return json.data;
    };
    await api('POST', '/api/models', { name: 'lat', provider: 'scripted', settings: { responses: [{ output: 'ok', delay_ms: delayMs }] } });
    const ids = Array.from({ length: tasks }, (_, i) => `t${i + 1}`);
    const chain = ['s', ...ids, 'e'];
    const fc = await api('POST', '/api/flowcharts', {
      schema_version: 1, name: 'latency', settings: { max_parallel_nodes: 10 },
      nodes: [{ id: 's', type: 'start' }, ...ids.map((id) => ({ id, type: 'task', config: { model: 'lat', prompt: id } })), { id: 'e', type: 'end' }],
      edges: chain.slice(1).map((target, i) => ({ id: `c${i}`, source: chain[i]!, target })),
    });

    const committed = new Map<string, number>();
    app.orchestrator.bus.onEvent((e) => committed.set(e.event_id, performance.timeOrigin + performance.now()));

    const clientModule = createRequire(import.meta.url).resolve('socket.io-client');
    const w = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, clients, room: `flowchart:${fc.id}`, clientModule } });
    worker = w;
    const fromWorker = (type: string): Promise<any> => new Promise((resolve, reject) => {
      const onMsg = (m: { type: string }): void => {
        if (m.type !== type) return;
        w.off('message', onMsg);
        resolve(m);
      };
      w.on('message', onMsg);
      w.once('error', reject);
    });
    await fromWorker('ready');

    const started = performance.now();
    const runIds: string[] = await Promise.all(Array.from({ length: runs }, async () => (await api('POST', `/api/flowcharts/${fc.id}/runs`, { input: {} })).id));
    const finished = await Promise.all(runIds.map(async (id) => {
      for (;;) {
        const r = await api('GET', `/api/runs/${id}?wait_s=30`);
        if (['succeeded', 'failed', 'canceled'].includes(r.status)) return r as { status: string; last_sequence: number };
      }
    }));
    const wallMs = performance.now() - started;
    const expected = finished.reduce((n, r) => n + r.last_sequence, 0);
    // Let the last events reach the clients (nothing is measured here: arrivals carry their own timestamps).
    for (let i = 0; i < 200; i += 1) {
      const report = committed.size;
      if (report >= expected) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 300));
    w.postMessage({ type: 'report' });
    const { report } = await fromWorker('report') as { report: ClientReport };

    const latencies: number[] = [];
    let missing = 0;
    let duplicates = 0;
    for (const [id, t0] of committed) {
      const arrivals = report.arrivals[id] ?? [];
      if (arrivals.length < clients) missing += clients - arrivals.length;
      if (arrivals.length > clients) duplicates += arrivals.length - clients;
      for (const t of arrivals) latencies.push(t - t0);
    }
    let outOfOrder = 0;
    for (const order of report.orders) {
      for (const seqs of Object.values(order)) seqs.forEach((s, i) => { if (i > 0 && s !== seqs[i - 1]! + 1) outOfOrder += 1; });
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    const result = {
      benchmark: 'socket-commit-to-client-latency',
      runs, tasks_per_run: tasks, model_delay_ms: delayMs, clients,
      succeeded: finished.filter((r) => r.status === 'succeeded').length,
      events_committed: committed.size, events_expected: expected, deliveries: latencies.length, missing, duplicates, out_of_order: outOfOrder,
      wall_ms: Math.round(wallMs),
      latency_ms: {
        p50: round(percentile(latencies, 50)), p90: round(percentile(latencies, 90)), p99: round(p99),
        max: round(latencies[latencies.length - 1] ?? Number.NaN), mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
      },
      aim: { p99_under_ms: 20, met: p99 < 20 },
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  } finally {
    await worker?.terminate();
    await app.close();
    await db.close();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
