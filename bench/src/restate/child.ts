/**
 * The Restate side of the benchmark, run by restate-driver.ts inside a network namespace that has nothing but
 * loopback (`unshare --net` + `ip link set lo up`): restate-server, the SDK's service endpoint and the ingress client
 * all live here and talk over 127.0.0.1. Commands arrive as JSON lines on stdin; each reply is one stdout line
 * `@@restate-bench <json>` (anything else on stdout is a stray log line the driver forwards to its log).
 */
import './polyfill.ts';
import { createInterface } from 'node:readline';
import { epochMs, invertSummary, percentile, summarize } from '../stats.ts';
import type { Shape } from '../workloads.ts';
import { IngressClient } from './ingress.ts';
import type { RestateCommand, RestateConcurrencyFigures, RestateReady } from './protocol.ts';
import { REPLY_PREFIX } from './protocol.ts';
import { startRestateServer, type RestateServer } from './server.ts';
import { startServiceEndpoint, type ServiceEndpoint } from './service.ts';

// stdout carries the replies: route console.log/info of any library to stderr.
console.log = console.error;
console.info = console.error;

const MB = 1024 * 1024;

function reply(id: number, body: { ok: true; value: unknown } | { ok: false; error: string }): void {
  process.stdout.write(`${REPLY_PREFIX}${JSON.stringify({ id, ...body })}\n`);
}

/** Runs a shape until the new deployment is routable (the ingress answers 404 until the schema has reached it). */
async function firstRun(client: IngressClient): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await client.run({ kind: 'flow3' });
      return;
    } catch (err) {
      if (i >= 200 || !/HTTP 404/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** `runs` concurrent 3-step invocations per batch; memory is restate-server's RSS plus this process's. */
async function concurrency(server: RestateServer, client: IngressClient, runs: number, batches: number): Promise<RestateConcurrencyFigures> {
  const shape: Shape = { kind: 'flow3' };
  for (let i = 0; i < 5; i++) await client.run(shape);
  const rss = async (): Promise<{ server: number; total: number }> => {
    const s = await server.rssMb();
    return { server: s, total: s + process.memoryUsage().rss / MB };
  };
  const baseline = await rss();
  let peak = baseline.total;
  let serverPeak = baseline.server;
  let heapPeak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    void rss().then((r) => {
      peak = Math.max(peak, r.total);
      serverPeak = Math.max(serverPeak, r.server);
    });
  }, 20);
  const walls: number[] = [];
  const latencies: number[] = [];
  try {
    for (let b = 0; b < batches; b++) {
      const t0 = epochMs();
      latencies.push(...await Promise.all(Array.from({ length: runs }, () => client.run(shape))));
      walls.push(epochMs() - t0);
    }
  } finally {
    clearInterval(timer);
  }
  const end = await rss();
  const batchMs = summarize(walls);
  return {
    batchMs, runsPerSecond: invertSummary(batchMs, (v) => (runs * 1000) / v), latencyMs: summarize(latencies), latencyP99: percentile(latencies, 99),
    baselineRssMb: baseline.total, peakRssMb: Math.max(peak, end.total), serverBaselineRssMb: baseline.server, serverPeakRssMb: Math.max(serverPeak, end.server),
    peakHeapMb: heapPeak / MB,
  };
}

async function main(): Promise<void> {
  let server: RestateServer | null = null;
  let endpoint: ServiceEndpoint | null = null;
  let client: IngressClient | null = null;
  let closing = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!closing) {
      closing = true;
      client?.close();
      await server?.stop().catch((e: unknown) => console.error(e));
      await endpoint?.close().catch((e: unknown) => console.error(e));
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(143));
  process.on('SIGINT', () => void shutdown(130));
  try {
    const t0 = epochMs();
    endpoint = await startServiceEndpoint();
    server = await startRestateServer();
    await server.register(endpoint.uri);
    client = new IngressClient(server.ingressUrl);
    await firstRun(client);
    reply(0, { ok: true, value: { version: server.version, serverPid: server.pid, dataDir: server.dataDir, startMs: epochMs() - t0 } satisfies RestateReady });
  } catch (err) {
    reply(0, { ok: false, error: (err as Error).stack ?? String(err) });
    await shutdown(1);
  }
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const cmd = JSON.parse(line) as RestateCommand;
    if (cmd.op === 'close') {
      reply(cmd.id, { ok: true, value: null });
      break;
    }
    try {
      const value = cmd.op === 'run' ? await client!.run(cmd.shape) : await concurrency(server!, client!, cmd.runs, cmd.batches);
      reply(cmd.id, { ok: true, value });
    } catch (err) {
      reply(cmd.id, { ok: false, error: (err as Error).message });
    }
  }
  // stdin closed or `close`: the driver is done (or gone).
  await shutdown(0);
}

void main();
