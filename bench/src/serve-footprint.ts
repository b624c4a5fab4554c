/**
 * Footprint of `llmctl serve`, compiled JavaScript (apps/server/dist, `npm run build`) vs TypeScript through tsx:
 * start-up (spawn → first 200 of GET /api/health, warm data dir), idle RSS (after start-up and 5 warm-up runs), and
 * peak RSS while 200 runs of the seeded "Hello (offline)" sample run at once through the HTTP API.
 * Writes (replaces) the section between the serve-footprint markers in bench/report.md.
 *   node --import tsx bench/src/serve-footprint.ts [--starts 3] [--runs 200] [--no-write]   (builds what is stale first)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServe } from '@llmctl/server/spawn-serve';
import { REPO_ROOT } from './spawn-worker.ts';
import { epochMs, summarize, type Summary } from './stats.ts';

const CLI = join(REPO_ROOT, 'apps/server/bin/llmctl.mjs');
type Mode = 'source' | 'compiled';

/** One mode's measurements. */
export interface Footprint { mode: Mode; nodeArgs: string[]; helpMs: Summary; startMs: Summary; startCpuMs: Summary; startRssMb: number; idleRssMb: number; peakRssMb: number; runsOk: number; batchMs: number }

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function serve(mode: Mode, dataDir: string, nodeArgs: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, LLMCTL_LOG_LEVEL: 'warn', LLMCTL_RUN_FROM: mode };
  for (const k of ['DATABASE_URL', 'LLMCTL_HOST', 'LLMCTL_PORT', 'LLMCTL_DATA_DIR', 'NODE_OPTIONS']) delete env[k];
  const t0 = epochMs();
  const served = await spawnServe({ args: ['--port', '0', '--data-dir', dataDir], env, nodeArgs });
  const { child, url } = served;
  for (;;) {
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res?.status === 200) break;
  }
  const ms = epochMs() - t0;
  const stat = readFileSync(`/proc/${child.pid!}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10; // utime + stime, in 100 Hz clock ticks
  const stop = async (): Promise<void> => { await served.stop(); };
  return { url, pid: child.pid!, ms, cpuMs, stop };
}

async function runHello(url: string, id: string): Promise<boolean> {
  const res = await fetch(`${url}/api/flowcharts/${id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: { text: 'hi' } }) });
  const run = (await res.json()) as { data: { id: string } };
  for (;;) {
    const r = (await (await fetch(`${url}/api/runs/${run.data.id}?wait_s=30`)).json()) as { data: { status: string } };
    if (['succeeded', 'failed', 'canceled', 'paused'].includes(r.data.status)) return r.data.status === 'succeeded';
  }
}

const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('CPU_MS='+((u.user+u.system)/1000)+'\\n')})`;

/** CPU time (user + system, ms) of `llmctl --help` — module loading only, no database — `n` times. */
export function helpTimes(mode: Mode, n: number, nodeArgs: string[] = []): Summary {
  const env: NodeJS.ProcessEnv = { ...process.env, LLMCTL_RUN_FROM: mode };
  delete env.NODE_OPTIONS;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [...nodeArgs, '--import', CPU_HOOK, CLI, '--help'], { env, encoding: 'utf8' });
    const m = /CPU_MS=([\d.]+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`llmctl --help failed: ${r.stderr}`);
    times.push(Number(m[1]));
  }
  return summarize(times);
}

/** Measures one mode: `starts` warm start-ups, then idle and 200-run RSS on the last one. */
export async function measure(mode: Mode, starts: number, runs: number, nodeArgs: string[] = []): Promise<Footprint> {
  const dir = await mkdtemp(join(tmpdir(), `llmctl-footprint-${mode}-`));
  try {
    await (await serve(mode, dir, nodeArgs)).stop(); // cold start: initdb, migrations, samples (not counted)
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < starts - 1; i++) {
      const s = await serve(mode, dir, nodeArgs);
      times.push(s.ms);
      cpu.push(s.cpuMs);
      await s.stop();
    }
    const s = await serve(mode, dir, nodeArgs);
    times.push(s.ms);
    cpu.push(s.cpuMs);
    const startRss = rssMb(s.pid);
    try {
      const list = (await (await fetch(`${s.url}/api/flowcharts`)).json()) as { data: { id: string; name: string }[] };
      const hello = list.data.find((f) => f.name === 'Hello (offline)')!;
      for (let i = 0; i < 5; i++) await runHello(s.url, hello.id);
      const idle = rssMb(s.pid);
      let peak = idle;
      const timer = setInterval(() => { peak = Math.max(peak, rssMb(s.pid)); }, 20);
      const tb = epochMs();
      const ok = await Promise.all(Array.from({ length: runs }, () => runHello(s.url, hello.id)));
      const batchMs = epochMs() - tb;
      clearInterval(timer);
      peak = Math.max(peak, rssMb(s.pid));
      return { mode, nodeArgs, helpMs: helpTimes(mode, 5, nodeArgs), startMs: summarize(times), startCpuMs: summarize(cpu), startRssMb: startRss, idleRssMb: idle, peakRssMb: peak, runsOk: ok.filter(Boolean).length, batchMs };
    } finally {
      await s.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The V8 flag llmctl's entry points set (apps/server/bin/llmctl.mjs shebang, npm start, Dockerfiles). */
export const SEMI_SPACE = '--max-semi-space-size=2';

const BEGIN = '<!-- serve-footprint:begin -->';
const END = '<!-- serve-footprint:end -->';

/** The report section (markdown). */
export function section(rows: Footprint[], runs: number, starts: number): string {
  const f = (n: number) => `${n.toFixed(0)} MB`;
  const s = (x: Summary) => `${(x.min / 1000).toFixed(2)} / **${(x.median / 1000).toFixed(2)}** / ${(x.max / 1000).toFixed(2)} s`;
  return [BEGIN, '## Compiled build vs tsx: `llmctl serve` footprint (issue 15)', '',
    `Produced by \`node --import tsx bench/src/serve-footprint.ts\` (${new Date().toISOString().slice(0, 10)}; a shared 2-core machine). ` +
    'Compiled = `apps/server/dist/cli.js` (esbuild bundle, `npm run build`); tsx = the TypeScript sources through tsx (`LLMCTL_RUN_FROM=source`). ' +
    `Times are min / **median** / max over 5 (\`--help\`) and ${starts} (warm start-ups, same data dir) runs; CPU time (user + system of the process) is reported because the wall time on a shared machine mostly measures the neighbours. ` +
    `RSS after start-up = at the first 200 of GET /api/health; idle = after 5 runs; peak = sampled every 20 ms while ${runs} runs of the seeded *Hello (offline)* sample run at once through the HTTP API. Aims: idle < 100 MB, ${runs} concurrent runs < 150 MB. ` +
    'The shipped entry points (the `llmctl` shebang, `npm start`, the image ENTRYPOINT) run the last row.', '',
    `| Mode | \`llmctl --help\` CPU time | warm \`serve\` start-up: CPU time until health 200 | wall time (spawn → health 200) | RSS after start-up | idle RSS (after 5 runs) | peak RSS, ${runs} concurrent runs | ${runs} runs took | runs succeeded |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.mode === 'compiled' ? 'compiled JS' : 'tsx (source)'}${r.nodeArgs.length ? ` + \`${r.nodeArgs.join(' ')}\`` : ''} | ${s(r.helpMs)} | ${s(r.startCpuMs)} | ${s(r.startMs)} | ${f(r.startRssMb)} | ${f(r.idleRssMb)} | ${f(r.peakRssMb)} | ${(r.batchMs / 1000).toFixed(1)} s | ${r.runsOk}/${runs} |`),
    '', 'Where the memory goes, and what is still to do to meet the aims: the *Memory* section of `docs/deploy/build.md`.', '', END].join('\n');
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { values } = parseArgs({ options: { starts: { type: 'string' }, runs: { type: 'string' }, 'no-write': { type: 'boolean' } } });
  // Both modes must run the same sources: bring the bundle up to date first.
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs'), '--if-stale', '--no-studio'], { stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(join(REPO_ROOT, 'apps/server/dist/cli.js'))) throw new Error('the build failed');
  const starts = Number(values.starts ?? 3);
  const runs = Number(values.runs ?? 200);
  // The shipped entry points (bin shebang, npm start, images) run node with SEMI_SPACE: the young generation is capped at
  // 2 MB per semi-space instead of growing to 16 MB, which is most of the difference between the last two rows.
  const rows = [await measure('source', starts, runs), await measure('compiled', starts, runs), await measure('compiled', starts, runs, [SEMI_SPACE])];
  const md = section(rows, runs, starts);
  console.log(md);
  if (!values['no-write']) {
    const file = join(REPO_ROOT, 'bench/report.md');
    const text = readFileSync(file, 'utf8');
    const i = text.indexOf(BEGIN);
    const j = text.indexOf(END);
    writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + md + text.slice(j + END.length) : `${text.trimEnd()}\n\n${md}\n`);
  }
}
