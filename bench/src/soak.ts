/**
 * Soak (issue 13): steady load on a real `llmctl serve` (its own process, embedded PostgreSQL, TypeScript sources)
 * for `--seconds N` (default 60; 600 by hand): `--concurrency` clients each loop over starting a run of the seeded
 * *Hello (offline)* sample and long-polling it to the end, listing flowcharts and runs, and validating a document.
 * Samples the server's RSS every second and every request's latency, drops the warm-up (first 20 %), fits
 * least-squares slopes (RSS MB/min, latency ms/min) and prints them; `--write` appends a row to the soak table of
 * docs/reliability.md.
 *   node --import tsx bench/src/soak.ts [--seconds 60] [--concurrency 4] [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServe } from '@llmctl/server/spawn-serve';
import { REPO_ROOT } from './spawn-worker.ts';
import { epochMs, percentile } from './stats.ts';


/** Least-squares line through `(x, y)` points: slope, intercept and r². */
export function linearFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN };
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

/** What a soak measured. */
export interface SoakResult {
  seconds: number;
  concurrency: number;
  requests: number;
  runs: number;
  runsSucceeded: number;
  errors5xx: number;
  otherErrors: number;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  rssSlopeMbPerMin: number;
  latencySlopeMsPerMin: number;
  latency: { p50: number; p95: number; p99: number; firstThirdP95: number; lastThirdP95: number };
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function serve(dataDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LLMCTL_LOG_LEVEL: 'warn', LLMCTL_RUN_FROM: 'source' };
  for (const k of ['DATABASE_URL', 'LLMCTL_HOST', 'LLMCTL_PORT', 'LLMCTL_DATA_DIR', 'NODE_OPTIONS', 'LLMCTL_API_TOKENS']) delete env[k];
  const s = await spawnServe({ args: ['--port', '0', '--data-dir', dataDir], env });
  return { url: s.url, pid: s.child.pid!, stop: async () => { await s.stop(); } };
}

/** Drives the load; resolves with the figures. */
export async function soak(seconds: number, concurrency: number, log: (m: string) => void = () => undefined): Promise<SoakResult> {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-soak-'));
  const server = await serve(dir);
  try {
    const list = (await (await fetch(`${server.url}/api/flowcharts?q=hello`)).json()) as { data: { id: string; name: string }[] };
    const hello = list.data.find((f) => f.name === 'Hello (offline)');
    if (!hello) throw new Error('the seeded "Hello (offline)" sample is missing');
    const doc = (await (await fetch(`${server.url}/api/flowcharts/${hello.id}`)).json()) as { data: { document: unknown } };
    const t0 = epochMs();
    const end = t0 + seconds * 1000;
    const latencies: [number, number][] = [];
    const rss: [number, number][] = [[0, rssMb(server.pid)]];
    const tally = { requests: 0, runs: 0, ok: 0, e5xx: 0, other: 0 };
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      const t = epochMs();
      const res = await fetch(`${server.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as { ok: boolean; data: any };
      tally.requests += 1;
      if (res.status >= 500) tally.e5xx += 1;
      else if (!json.ok) tally.other += 1;
      // Long polls wait for the run by design: they are not request latency.
      if (!path.includes('wait_s')) latencies.push([(t - t0) / 60_000, epochMs() - t]);
      return json.data;
    };
    const sampler = setInterval(() => rss.push([(epochMs() - t0) / 60_000, rssMb(server.pid)]), 1000);
    const client = async (): Promise<void> => {
      while (epochMs() < end) {
        const run = await call('POST', `/api/flowcharts/${hello.id}/runs`, { input: { text: 'soak' } });
        tally.runs += 1;
        for (;;) {
          const r = await call('GET', `/api/runs/${run.id}?wait_s=30`);
          if (['succeeded', 'failed', 'canceled', 'paused'].includes(r.status)) {
            if (r.status === 'succeeded') tally.ok += 1;
            break;
          }
        }
        await call('GET', '/api/flowcharts?per_page=20');
        await call('GET', '/api/runs?per_page=20');
        await call('POST', '/api/flowcharts/validate', doc.data.document);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, () => client()));
    clearInterval(sampler);
    rss.push([(epochMs() - t0) / 60_000, rssMb(server.pid)]);
    const warm = (seconds * 0.2) / 60;
    const steadyRss = rss.filter(([t]) => t >= warm);
    const steadyLat = latencies.filter(([t]) => t >= warm);
    const third = (seconds / 60) / 3;
    const p95Of = (pts: [number, number][]) => percentile(pts.map((p) => p[1]), 95);
    const all = steadyLat.map((p) => p[1]);
    const result: SoakResult = {
      seconds, concurrency, requests: tally.requests, runs: tally.runs, runsSucceeded: tally.ok, errors5xx: tally.e5xx, otherErrors: tally.other,
      rssStartMb: steadyRss[0]?.[1] ?? Number.NaN, rssEndMb: rss[rss.length - 1]![1], rssMaxMb: Math.max(...rss.map((p) => p[1])),
      rssSlopeMbPerMin: linearFit(steadyRss).slope, latencySlopeMsPerMin: linearFit(steadyLat).slope,
      latency: {
        p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99),
        firstThirdP95: p95Of(latencies.filter(([t]) => t < third)), lastThirdP95: p95Of(latencies.filter(([t]) => t >= 2 * third)),
      },
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const BEGIN = '<!-- soak:begin -->';
const END = '<!-- soak:end -->';

/** The docs/reliability.md table header of the soak section. */
const HEADER = [
  '| date | duration | clients | requests | runs (succeeded) | 5xx | RSS start → end (max) | RSS slope | latency p50 / p95 / p99 | p95 first → last third | latency slope |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
].join('\n');

/** One table row of a soak. */
export function soakRow(r: SoakResult, date: string): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return `| ${date} | ${r.seconds} s | ${r.concurrency} | ${r.requests} | ${r.runs} (${r.runsSucceeded}) | ${r.errors5xx} | ${f(r.rssStartMb)} → ${f(r.rssEndMb)} MB (${f(r.rssMaxMb)}) | ${f(r.rssSlopeMbPerMin, 2)} MB/min | ${f(r.latency.p50)} / ${f(r.latency.p95)} / ${f(r.latency.p99)} ms | ${f(r.latency.firstThirdP95)} → ${f(r.latency.lastThirdP95)} ms | ${f(r.latencySlopeMsPerMin, 2)} ms/min |`;
}

/** `doc` with `row` appended to its soak table (created between the soak markers when missing). */
export function appendSoakRow(doc: string, row: string): string {
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) return `${doc.trimEnd()}\n\n${BEGIN}\n${HEADER}\n${row}\n${END}\n`;
  const body = doc.slice(i + BEGIN.length, j).trim();
  return `${doc.slice(0, i)}${BEGIN}\n${body || HEADER}\n${row}\n${doc.slice(j)}`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, write: { type: 'boolean' } } });
  const r = await soak(Number(values.seconds ?? 60), Number(values.concurrency ?? 4), (m) => console.error(m));
  const row = soakRow(r, new Date().toISOString().slice(0, 10));
  console.log(`${HEADER}\n${row}`);
  if (values.write) {
    const file = join(REPO_ROOT, 'docs/reliability.md');
    writeFileSync(file, appendSoakRow(readFileSync(file, 'utf8'), row));
  }
}
