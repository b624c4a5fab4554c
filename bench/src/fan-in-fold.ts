/**
 * Engine-only micro-benchmark of fan-in settling (issue 17, "Incremental fan-in"). Not a test: it prints a table.
 *
 *   node --import tsx bench/src/fan-in-fold.ts [--widths 100,1000] [--reps 5] [--engine PATH ...]
 *
 * For each 1→N→1 fan-out (the scaling benchmark's flowchart, pass-through nodes, an `all` join) it drives a whole run
 * in memory the way the run actor does — one decision per node result (`decide.succeeded`, which routes the token and
 * settles the joins), then `decide.dispatch` — and times it (the engine's share of the run's commits). It then times
 * folding the run's recorded events from an empty state (what a takeover without a snapshot does). No database.
 *
 * Times are CPU time of this process (`process.cpuUsage`, user + system), not wall-clock time: on a loaded machine the
 * wall clock mostly measures the wait for a core.
 *
 * `--engine` takes the path of an engine entry module (e.g. another checkout's packages/engine/src/index.ts); given
 * twice or more, the engines are measured interleaved in this one process, so their ratios come from the same run
 * on a loaded machine. Default: `@llmctl/engine`.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { RoutingRecord } from '@llmctl/contracts';
import type * as Engine from '@llmctl/engine';
import { llmctlDocument } from './llmctl-graphs.ts';
import { summarize, type Summary } from './stats.ts';

type EngineModule = typeof Engine;

const { values } = parseArgs({ options: { widths: { type: 'string' }, reps: { type: 'string' }, engine: { type: 'string', multiple: true } } });
const WIDTHS = (values.widths ?? '100,1000').split(',').map(Number);
const REPS = Number(values.reps ?? 5);
const ENGINES = values.engine ?? ['@llmctl/engine'];
const NOW = '2026-01-01T00:00:00.000Z';

/** CPU milliseconds (user + system) this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs a 1→width→1 fan-out to its end in memory; returns the decision time (ms) and the events. */
function driveRun(E: EngineModule, width: number): { ms: number; events: Engine.EngineEvent[]; status: string } {
  const g = E.compileGraph(llmctlDocument({ kind: 'fanout', width }, 'pass'));
  const s = E.initialState('run-bench');
  let ids = 0;
  const newId = (): string => `nr${++ids}`;
  const events: Engine.EngineEvent[] = [];
  const routingOf = (nodeId: string): RoutingRecord => {
    const taken = (g.triggerOut.get(nodeId) ?? []).map((e) => e.id);
    return { matched_connector_ids: taken, route_key: null, route_keys: [], routing_state: taken.length > 0 ? 'matched' : 'terminal', evaluated: [] };
  };
  const t0 = cpuMs();
  events.push(...E.decide.start(g, s, { n: 1 }, newId, NOW));
  events.push(...E.decide.dispatch(g, s, newId, NOW).events);
  while (s.running.length > 0) {
    const id = s.running[0]!;
    const nodeId = s.node_runs[id]!.node_id;
    events.push(...E.decide.succeeded(g, s, id, { output: { ok: true }, routing: routingOf(nodeId) }, newId, NOW));
    events.push(...E.decide.dispatch(g, s, newId, NOW).events);
  }
  return { ms: cpuMs() - t0, events, status: s.status };
}

function foldMs(E: EngineModule, events: Engine.EngineEvent[]): number {
  const t0 = cpuMs();
  const s = E.initialState('run-bench');
  for (const e of events) E.applyEvent(s, e);
  return cpuMs() - t0;
}

const engines: { path: string; E: EngineModule }[] = [];
for (const path of ENGINES) {
  const spec = path.startsWith('.') || path.startsWith('/') ? pathToFileURL(path).href : path;
  engines.push({ path, E: (await import(spec)) as EngineModule });
}

const fmt = (s: Summary): string => `${s.min.toFixed(1)} / **${s.median.toFixed(1)}** / ${s.max.toFixed(1)}`;
const rows: string[] = ['| engine | run | nodes | events | decisions CPU ms (min / **median** / max) | µs per node (median) | fold CPU ms (median) |', '|---|---|---:|---:|---:|---:|---:|'];
const medians = new Map<string, number>();
for (const width of WIDTHS) {
  const times = engines.map(() => ({ decide: [] as number[], fold: [] as number[], events: 0 }));
  for (let rep = -1; rep < REPS; rep++) {
    engines.forEach(({ E }, i) => {
      const r = driveRun(E, width);
      if (r.status !== 'succeeded') throw new Error(`fan-out ${width}: the run ended ${r.status}`);
      const f = foldMs(E, r.events);
      if (rep < 0) return; // warm-up
      times[i]!.decide.push(r.ms);
      times[i]!.fold.push(f);
      times[i]!.events = r.events.length;
    });
  }
  engines.forEach(({ path }, i) => {
    const d = summarize(times[i]!.decide);
    const nodes = width + 3;
    medians.set(`${path}|${width}`, d.median);
    rows.push(`| ${path} | fan-out 1→${width}→1 | ${nodes} | ${times[i]!.events} | ${fmt(d)} | ${((d.median * 1000) / nodes).toFixed(1)} | ${summarize(times[i]!.fold).median.toFixed(1)} |`);
  });
}
process.stdout.write(`${rows.join('\n')}\n`);
if (engines.length >= 2) {
  const [a, b] = [engines[0]!.path, engines[1]!.path];
  for (const width of WIDTHS) process.stdout.write(`fan-out 1→${width}→1: ${a} / ${b} decision time ratio (medians, same run) = ${(medians.get(`${a}|${width}`)! / medians.get(`${b}|${width}`)!).toFixed(2)}\n`);
}
