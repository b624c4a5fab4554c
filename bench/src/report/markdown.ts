import { ENGINES, SHORT, type EngineId } from '../engines.ts';
import type { BenchReport } from '../harness.ts';
import { ratios, type AimResult } from './aims.ts';
import type { Chart } from './charts.ts';
import { findings } from './findings.ts';
import { kib, mmm, ms, num, table } from './format.ts';

function machine(r: BenchReport): string {
  const m = r.machine;
  const pg = m.postgresSettings;
  return table(['', ''], [
    ['CPU', `${m.cpuModel}, ${m.cores} cores`],
    ['Memory', `${m.memoryGb.toFixed(1)} GB (${m.freeMemoryGb.toFixed(1)} GB free at start)`],
    ['OS', m.os],
    ['Node.js', m.node],
    ['PostgreSQL', `${m.postgres} (${r.cluster.embedded ? 'embedded, the binaries `llmctl serve` uses' : 'external'}; fsync=${pg.fsync}, synchronous_commit=${pg.synchronous_commit}, full_page_writes=${pg.full_page_writes}, shared_buffers=${pg.shared_buffers} pages)`],
    ['Peers', m.langgraph],
    ['llmctl', `commit ${m.gitCommit}; runtime composed by ${r.composition === 'server' ? "@llmctl/server's `composeRuntime`" : 'the bench mirror of `apps/server/src/runtime/compose-runtime.ts` (the server package does not export it)'}`],
    ['Load average (1 min)', `${m.loadStart.toFixed(2)} at start, ${num(m.loadEnd, 2)} at end (other work on this machine shares the ${m.cores} cores)`],
    ['Run', `${r.mode} mode${r.options.headline ? ' (headline subset: `--headline`)' : ''}, ${r.startedAt}, ${(r.durationMs / 60000).toFixed(1)} min`],
  ]);
}

function aims(list: AimResult[]): string {
  return table(['Source', 'Aim', 'Verdict', 'Measured (median of the repetitions)', 'Gap'], list.map((a) => [
    a.source, a.aim, a.met === null ? 'n/a' : a.met ? '**met**' : '**missed**', a.measured, a.gap,
  ]));
}

function scaling(r: BenchReport): string {
  const parts: string[] = [];
  const labels = [...new Set(r.scaling.map((c) => c.label))];
  const rows: string[][] = [];
  for (const label of labels) {
    for (const c of r.scaling.filter((x) => x.label === label)) {
      const bad = c.error ? `error: ${c.error.slice(0, 160)}` : c.skipped ? `n/a (${c.skipped})` : null;
      rows.push([label, SHORT[c.engine], String(c.workNodes), bad ?? mmm(c.ms), bad ? '' : mmm(c.perNodeMs), String(c.ms.n)]);
    }
  }
  parts.push(table(['Workload', 'Engine', 'Work nodes', 'Run: min / **median** / max', 'Per work node: min / **median** / max', 'Reps'], rows));
  return parts.join('\n\n');
}

function ratioTable(r: BenchReport): string {
  const peers = (['langgraph-pg-async', 'langgraph-pg-sync', 'langgraph-memory', 'dbos', 'restate', 'raw-commit'] as EngineId[]).filter((p) => r.scaling.some((c) => c.engine === p));
  const labels = [...new Set(r.scaling.map((c) => c.label))];
  const head = ['Workload', ...peers.flatMap((p) => [`${SHORT[p]} ÷ llmctl task`, `${SHORT[p]} ÷ llmctl pass`])];
  const rows = labels.map((label) => [label, ...peers.flatMap((p) => (['llmctl-task', 'llmctl-pass'] as const).map((l) => {
    const q = ratios(r.scaling.filter((c) => c.label === label), l, p)[0];
    return q ? `${q.ratio.toFixed(2)}×` : '–';
  }))]);
  return table(head, rows);
}

function concurrency(r: BenchReport): string {
  const rows = r.concurrency.map((c) => c.skipped ? [SHORT[c.engine], String(c.runs), c.skipped, '', '', '', '', '', ''] : [
    SHORT[c.engine], String(c.runs), mmm(c.batchMs), mmm(c.runsPerSecond, (v) => v.toFixed(0)), `${ms(c.latencyMs.median)} / ${ms(c.latencyP99)}`,
    `${num(c.baselineRssMb, 0)} MB`, `${num(c.peakRssMb, 0)} MB`, `${num(c.peakHeapMb, 0)} / ${num(c.retainedHeapMb, 0)} MB`, c.measuredIn ?? (c.isolated ? 'own process' : 'in process'),
  ]);
  const l = r.serverLoad;
  if (l && !l.skipped) {
    rows.push(['llmctl serve over HTTP', String(l.runs), mmm(l.batchMs), mmm(l.runsPerSecond, (v) => v.toFixed(0)), `${ms(l.latencyMs.median)} / ${ms(l.latencyP99)}`,
      `${num(l.baselineRssMb, 0)} MB`, `${num(l.peakRssMb, 0)} MB (VmHWM ${num(l.hwmRssMb, 0)} MB)`, '–', 'server process']);
  }
  const t = table(['Engine', 'Concurrent runs', 'Batch wall time', 'Runs per second', 'Run latency median / p99', 'RSS before', 'Peak RSS', 'Heap peak / after GC', 'Measured in'], rows);
  return r.emptyProcessRssMb === null ? t : `${t}\n\nFor scale: an idle \`node --import tsx\` process (how \`llmctl serve\` and every measured process run TypeScript) has an RSS of ${num(r.emptyProcessRssMb, 0)} MB; an idle plain \`node\` ${num(r.plainNodeRssMb ?? Number.NaN, 0)} MB.`;
}

function footprint(r: BenchReport): string {
  const rows = r.footprint.map((f) => [f.label, SHORT[f.engine], num(f.rowsPerNode, 1), kib(f.bytesPerNode), kib(f.walPerNode),
    f.tables.slice(0, 4).map((t) => `${t.table} +${t.inserted}/~${t.updated}`).join(', ')]);
  const parts = [table(['Workload', 'Engine', 'Rows written per work node', 'Table + index growth per work node', 'WAL per work node', 'Tables (inserted / updated rows)'], rows)];
  if (r.amplification.length > 0) {
    const a0 = r.amplification[0]!;
    parts.push(`Write amplification: a ${(a0.payloadBytes / 1024).toFixed(0)} KiB random-text payload passed along a chain of ${a0.nodes} nodes (each node outputs what it received; LangGraph nodes return \`{ last: <received> }\`), compared with an empty payload:\n\n${table(
      ['Engine', 'WAL per node, empty payload', `WAL per node, ${(a0.payloadBytes / 1024).toFixed(0)} KiB payload`, 'Payload copies written per hop (WAL)', 'Copies kept (table growth)'],
      r.amplification.map((a) => [SHORT[a.engine], kib(a.walPerNodePlain), kib(a.walPerNodePayload), `${a.walCopies.toFixed(1)}×`, `${a.tableCopies.toFixed(1)}×`]))}`);
  }
  if (r.nesting) {
    parts.push(`A loop made only of pass-through nodes (head and check both decisions), ${r.nesting.iterations} iterations: the run's output is nested **${r.nesting.depth} levels** deep (${r.nesting.outputBytes} bytes of JSON for the input \`{"bench":true}\`).`);
  }
  const census = r.footprint.filter((f) => f.census);
  for (const f of census) {
    parts.push(`Statements llmctl sent for one run of **${f.label}** (${SHORT[f.engine]}, ${f.workNodes} work nodes):\n\n${table(['Statement', 'Count', 'Per work node', 'Mean ms', 'Total ms'],
      f.census!.map((c) => [c.statement, String(c.count), (c.count / f.workNodes).toFixed(2), (c.totalMs / c.count).toFixed(3), c.totalMs.toFixed(0)]))}`);
  }
  return parts.join('\n\n');
}

function profiles(r: BenchReport): string {
  return r.profiles.map((p) => {
    const s = p.summary;
    const busy = s.totalMs - s.idleMs;
    return [
      `**${p.label}** (${p.variant === 'pass' ? 'pass-through nodes' : 'scripted task nodes'}, ${ms(p.ms)} run; main thread busy ${ms(busy)} = ${((busy / s.totalMs) * 100).toFixed(0)}% of the run, idle — waiting on PostgreSQL — ${((s.idleMs / s.totalMs) * 100).toFixed(0)}%; GC ${ms(s.gcMs)}). Profile: \`${p.file.replace(/^.*\/bench\//, 'bench/')}\` (open in Chrome DevTools).`,
      '',
      table(['Busy time by area', 'ms', 'share of busy'], s.byArea.slice(0, 8).map((a) => [a.frame, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)}%`])),
      '',
      table(['Heaviest functions (self time)', 'ms', 'share of busy'], s.self.slice(0, 10).map((a) => [`\`${a.frame}\``, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)}%`])),
    ].join('\n');
  }).join('\n\n');
}

/** The Markdown report; chart paths are relative to the report file (`chartsDir`). */
export function renderMarkdown(r: BenchReport, aimList: AimResult[], charts: Chart[], chartsDir: string): string {
  const img = (file: string): string => {
    const c = charts.find((x) => x.file === file);
    return c ? `![${c.title}](${chartsDir}/${c.file})` : '';
  };
  const o = r.options;
  const out: string[] = [];
  out.push('# llmctl benchmark report', '');
  out.push(`Produced by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` (bench/src/run-all.ts). Every timed figure is **min / median / max** over the repetitions given; per-node figures divide a run's wall time by its work nodes (llmctl's \`start\` and \`end\` node runs are not counted, so they are part of the per-node cost). All engines ran in the same process against the same PostgreSQL, repetitions interleaved.`, '');
  out.push('## Machine', '', machine(r), '');
  if (r.errors.length > 0) out.push('## Errors in this run', '', ...r.errors.map((e) => `- \`${e.split('\n')[0]}\``), '');
  out.push('## Aims', '', aims(aimList), '');
  const f = findings(r);
  if (f.length > 0) out.push('## Findings: why, and what to fix', '', ...f.map((x, i) => `${i + 1}. **${x.title}** ${x.body}`), '');
  out.push('## Workloads and engines', '');
  out.push(table(['Engine', 'Durable', 'A work node is'], r.engines.map((e) => [e.label, e.durable ? 'yes' : 'no', e.nodes])), '');
  out.push([
    '- **chain N**: start → n1 → … → nN → end. **fan-out 1→N→1**: start → N parallel nodes → join (`fan_in: all`; in LangGraph one edge per branch into the join, which runs once after the superstep) → end. **loop K**: start → head (a scripted task: the pass-through variant does not apply to loops, whose pass-through head would nest the value — see findings) → check (a deterministic decision: back to head while `node.iteration < K`, else its fallback to end); LangGraph: head → check with a conditional edge on a counter. **3-node flow**: llmctl start → task → end; LangGraph three function nodes.',
    `- llmctl runs through \`Orchestrator.startRun\` on PostgreSQL (pool of 10, as \`llmctl serve\`), finished when its terminal \`run.status\` event reaches the event bus; flowcharts pass save-time validation; settings \`max_node_executions: 100000\`, others default (\`max_parallel_nodes: 8\`).`,
    '- **DBOS Transact** runs in the bench process on a system database of its own on the same PostgreSQL (pool of 10): one registered workflow per shape, each work node one `DBOS.runStep` (its output checkpointed before the workflow goes on), a fan-out\'s N steps started together (`Promise.all`) then a join step. It dials out only to DBOS Conductor (a `conductorKey` or `DBOS__CLOUD=true`) or OTLP collectors; the bench sets none and `enableOTLP: false` (and the full run was made inside `unshare --net` with only `lo` up). **Raw commit floor**: one autocommit one-row INSERT per work node through a pool of 10 (a fan-out commits its branches concurrently) — the cost of durability alone. **Restate** (restate-server 1.7 + TypeScript SDK) stores its log in its own embedded storage, not PostgreSQL: one service handler per shape, each work node one `ctx.run` (journaled; the SDK waits for the runtime\'s acknowledgement before going on), a fan-out awaits its N steps with `RestatePromise.all`; a run is one HTTP ingress call. Its server (default durability: the log-server\'s RocksDB WAL is fsync\'d, concurrent appends batched) runs in a child process inside a network namespace with only loopback (`unshare --net`), because it tries an outbound version check at start; where that namespace cannot be made, its rows say skipped.',
    `- Repetitions: ${o.repsSmall} for workloads up to ${o.largeAbove} work nodes (after one untimed warm-up run), ${o.repsLarge} above.`,
  ].join('\n'), '');
  out.push('## Per-node overhead and how it grows with graph size', '');
  for (const file of ['chain-per-node.svg', 'chain-total.svg', 'fanout-per-node.svg', 'fanout-total.svg']) {
    const i = img(file);
    if (i) out.push(i, '');
  }
  out.push(scaling(r), '');
  out.push('### Ratios (peer per-node time ÷ llmctl per-node time; above 1 llmctl is faster)', '', ratioTable(r), '');
  if (r.engineBench) {
    const e = r.engineBench;
    out.push('## Issue 4 engine benchmark (llmctl alone, durable on embedded PostgreSQL)', '');
    out.push(table(['Workload', 'Nodes', 'Work nodes', 'Run: min / **median** / max', 'Per work node'], e.rows.map((x) => [x.label, x.variant === 'task' ? 'scripted task' : 'pass-through', String(x.workNodes), mmm(x.ms), mmm(x.perNodeMs)])), '');
    out.push(`Peak memory of the process running these workloads (${e.isolated ? 'a process of its own' : 'in process'}): RSS ${num(e.peakRssMb, 0)} MB, heap ${num(e.peakHeapMb, 0)} MB (heap still in use after a full GC at the end: ${num(e.retainedHeapMb, 0)} MB, so the peak is garbage not yet collected, not state kept).`, '');
  }
  if (r.latency.length > 0 || r.concurrency.length > 0) {
    out.push('## Latency, throughput and memory', '');
    if (r.latency.length > 0) {
      out.push(`End-to-end latency of one 3-node run (sequential runs, ${o.latencyRuns} per engine after a warm-up):`, '');
      out.push(table(['Engine', 'min / **median** / max', 'p99', 'Sequential runs per second (1 / median)'], r.latency.map((l) => [SHORT[l.engine], mmm(l.ms), ms(l.p99), num(1000 / l.ms.median, 0)])), '');
    }
    if (r.concurrency.length > 0) {
      out.push(`${o.concurrentRuns} concurrent 3-node runs, ${o.concurrentBatches} batch(es); runs per second = runs ÷ batch wall time:`, '', concurrency(r), '');
      const i = img('rss.svg');
      if (i) out.push(i, '');
    }
    if (r.serverLoad?.skipped) out.push(`HTTP load on \`llmctl serve\` not measured: ${r.serverLoad.skipped}.`, '');
  }
  if (r.events.length > 0) {
    out.push('## Event commit-to-delivery latency', '');
    out.push('From the start of the committing transaction (the event row\'s `created_at`) to delivery; llmctl has no socket layer in the server yet, so the in-process event bus (what it will subscribe to) stands in for the socket.', '');
    out.push(table(['Path', 'Events', 'min', 'p50', 'p99', 'max'], r.events.map((e) => [e.path === 'bus' ? 'in-process event bus' : 'PostgreSQL NOTIFY (other processes)', String(e.events), ms(e.ms.min), ms(e.p50), ms(e.p99), ms(e.ms.max)])), '');
  }
  if (r.footprint.length > 0) {
    out.push('## Database writes per node run', '');
    out.push('One run per workload in a fresh database; rows from `pg_stat_user_tables` (inserted + updated + deleted), bytes from `pg_total_relation_size`, WAL from `pg_current_wal_lsn()`.', '');
    const i = img('db-writes-per-node.svg');
    if (i) out.push(i, '');
    out.push(footprint(r), '');
  }
  if (r.startup || r.store.length > 0 || r.transport.length > 0) {
    out.push('## Start-up and store round trips (issue 3)', '');
    if (r.startup) {
      out.push(r.startup.skipped && r.startup.cold.n === 0 && r.startup.warm.n === 0
        ? `\`llmctl serve\` start-up not measured: ${r.startup.skipped}`
        : table(['`llmctl serve` start-up (spawn → GET /api/health 200)', 'min / **median** / max', 'Starts'], [
          ['cold (fresh data dir: initdb, migrations, samples)', mmm(r.startup.cold), String(r.startup.cold.n)],
          ['warm (same data dir again)', mmm(r.startup.warm), String(r.startup.warm.n)],
        ]), '');
      if (r.startup.skipped && (r.startup.cold.n > 0 || r.startup.warm.n > 0)) out.push(`(interrupted: ${r.startup.skipped})`, '');
    }
    if (r.store.length > 0) out.push(table(['Store round trip (llmctl pool)', 'min / **median** / max', 'p99'], r.store.map((s) => [s.query, mmm(s.ms), ms(s.p99)])), '');
    if (r.transport.length > 0) {
      out.push(`Transport: llmctl reaches its embedded PostgreSQL over TCP on 127.0.0.1 (it turns the Unix-domain socket off). The same server over a Unix-domain socket, with the same ${r.transport[0]!.chainLabel} of pass-through nodes (${o.transportReps} interleaved repetitions):`, '',
        table(['Transport', 'SELECT 1: min / **median** / max', 'p99', `${r.transport[0]!.chainLabel}: per node`], r.transport.map((t) => [t.transport === 'tcp' ? 'TCP 127.0.0.1 (llmctl today)' : 'Unix-domain socket', mmm(t.select1), ms(t.select1P99), mmm(t.perNodeMs)])), '');
      const [tcp, unix] = [r.transport.find((t) => t.transport === 'tcp'), r.transport.find((t) => t.transport === 'unix')];
      if (tcp && unix && unix.perNodeMs.median >= 0.8 * tcp.perNodeMs.median) {
        out.push('The per-node time hardly moves with the transport: what bounds a node is the commit\'s work in PostgreSQL (and its fsync), not the socket.', '');
      }
    }
  }
  if (r.profiles.length > 0) out.push('## Profiles: where llmctl\'s time goes', '', profiles(r), '');
  const sp = r.serverLoad?.profile;
  if (sp) {
    const s = sp.summary;
    out.push(`**\`llmctl serve\` under the HTTP load** (whole process life: start-up, warm-up and ${r.serverLoad!.batches} batch(es) of ${r.serverLoad!.runs} runs; busy ${ms(s.totalMs - s.idleMs)} of ${ms(s.totalMs)}, GC ${ms(s.gcMs)}). Profile: \`${sp.file.replace(/^.*\/bench\//, 'bench/')}\`.`, '',
      table(['Busy time by area', 'ms', 'share of busy'], s.byArea.slice(0, 10).map((a) => [a.frame, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)}%`])), '',
      table(['Heaviest llmctl functions (inclusive)', 'ms', 'share of busy'], s.ownInclusive.slice(0, 14).map((a) => [`\`${a.frame}\``, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)}%`])), '');
  }
  out.push('## How to run', '', [
    '```',
    'npm run bench              # full run (~10 min on 2 cores): bench/report.md, bench/charts/*.svg, bench/results/',
    'npm run bench -- --quick   # small sizes, seconds (CI): bench/results/report-quick.md',
    'npm run bench -- --skip startup,server-load,profile   # leave sections out',
    'npm run bench -- --database-url postgres://…/postgres # use an existing PostgreSQL instead of an embedded one',
    'node --import tsx --test bench/test/bench-quick.test.ts   # the harness test (tiny sizes, in process)',
    '```',
    '',
    'Raw results: `bench/results/report.json` (every sample). CPU profiles: `bench/results/profiles/*.cpuprofile`.',
  ].join('\n'), '');
  return out.join('\n');
}

export { ENGINES };
