import type { EngineId } from '../engines.ts';
import type { BenchReport } from '../harness.ts';
import type { ScalingCell } from '../sections/scaling.ts';
import { issue17Aims } from './aims-17.ts';

/** One aim of issues 10 / 4 and how this run did against it. */
export interface AimResult {
  source: string;
  aim: string;
  measured: string;
  /** null when this run did not measure it (quick mode, skipped section). */
  met: boolean | null;
  /** By how much it is missed (or the margin), in words. */
  gap: string;
}

/** Per-node ratio peer / llmctl for every shape both ran (> 1: llmctl is faster). */
export function ratios(cells: ScalingCell[], llmctl: EngineId, peer: EngineId): { label: string; ratio: number; llmctlMs: number; peerMs: number }[] {
  const out: { label: string; ratio: number; llmctlMs: number; peerMs: number }[] = [];
  for (const c of cells) {
    if (c.engine !== llmctl || c.error || c.ms.n === 0) continue;
    const p = cells.find((x) => x.engine === peer && x.label === c.label);
    if (!p || p.error || p.ms.n === 0) continue;
    out.push({ label: c.label, ratio: p.perNodeMs.median / c.perNodeMs.median, llmctlMs: c.perNodeMs.median, peerMs: p.perNodeMs.median });
  }
  return out;
}

const x = (v: number): string => `${v.toFixed(2)}×`;
const ms = (v: number): string => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);

/**
 * An aim on per-node ratios. `atLeast`: peer ÷ llmctl must be ≥ target (llmctl `target`× cheaper). Otherwise
 * llmctl ÷ peer must be ≤ target (llmctl within `target`× of the peer).
 */
function ratioAim(r: BenchReport, llmctl: EngineId, peer: EngineId, aim: string, target: number, atLeast: boolean): AimResult {
  const rs = ratios(r.scaling, llmctl, peer);
  if (rs.length === 0) return { source: 'issue 10', aim, measured: 'not measured', met: null, gap: '' };
  // the figure in the aim's own direction, and the per-node time llmctl would need
  const fig = (q: (typeof rs)[number]): number => (atLeast ? q.ratio : 1 / q.ratio);
  const need = (q: (typeof rs)[number]): number => (atLeast ? q.peerMs / target : q.peerMs * target);
  const ok = (q: (typeof rs)[number]): boolean => (atLeast ? fig(q) >= target : fig(q) <= target);
  const sorted = [...rs].sort((a, b) => (atLeast ? fig(a) - fig(b) : fig(b) - fig(a)));
  const worst = sorted[0]!;
  const best = sorted[sorted.length - 1]!;
  const largest = rs[rs.length - 1]!;
  const what = atLeast ? `${peerName(peer)} ÷ llmctl` : `llmctl ÷ ${peerName(peer)}`;
  const measured = `${what} per node: ${x(fig(worst))} (worst, ${worst.label}) … ${x(fig(best))} (best, ${best.label}) over ${rs.length} workloads`;
  const fails = rs.filter((q) => !ok(q));
  if (fails.length === 0) return { source: 'issue 10', aim, measured, met: true, gap: `met on all ${rs.length} workloads` };
  const gap = `missed on ${fails.length} of ${rs.length}; worst ${worst.label}: ${ms(worst.llmctlMs)}/node would have to be ≤ ${ms(need(worst))} (${x(worst.llmctlMs / need(worst))} less)`
    + (largest !== worst && !ok(largest) ? `; ${largest.label}: ${ms(largest.llmctlMs)} → ≤ ${ms(need(largest))} (${x(largest.llmctlMs / need(largest))} less)` : '');
  return { source: 'issue 10', aim, measured, met: false, gap };
}

function peerName(id: EngineId): string {
  return id === 'langgraph-memory' ? 'LangGraph in-memory' : id === 'langgraph-pg-sync' ? 'LangGraph+PG (sync)' : 'LangGraph+PG';
}

/** Evaluates every aim against a report. */
export function evaluateAims(r: BenchReport): AimResult[] {
  const out: AimResult[] = [];
  for (const peer of ['langgraph-pg-async', 'langgraph-pg-sync'] as const) {
    out.push(ratioAim(r, 'llmctl-task', peer, `Durable per-node overhead ≥ 3× lower than ${peer === 'langgraph-pg-async' ? 'LangGraph.js + PostgresSaver (its default, async durability)' : 'LangGraph.js + PostgresSaver with sync durability'} (llmctl scripted task nodes)`, 3, true));
  }
  out.push(ratioAim(r, 'llmctl-pass', 'langgraph-pg-async', 'Same, orchestration only (llmctl pass-through nodes) vs LangGraph.js + PostgresSaver (async)', 3, true));
  out.push(ratioAim(r, 'llmctl-task', 'langgraph-memory', 'Durable per-node overhead within 2× of LangGraph.js in memory (llmctl scripted task nodes)', 2, false));
  out.push(ratioAim(r, 'llmctl-pass', 'langgraph-memory', 'Same, orchestration only (llmctl pass-through nodes)', 2, false));

  const fan = r.scaling.find((c) => c.engine === 'llmctl-task' && c.shape.kind === 'fanout' && c.shape.width === 1000);
  out.push(fan && !fan.error
    ? { source: 'issue 10', aim: '1 → 1,000 → 1 fan-out/fan-in under 3 s, durable (scripted task nodes)', measured: `median ${ms(fan.ms.median)} (min ${ms(fan.ms.min)}, max ${ms(fan.ms.max)})`, met: fan.ms.median < 3000, gap: fan.ms.median < 3000 ? `${ms(3000 - fan.ms.median)} to spare` : `${ms(fan.ms.median - 3000)} over (${x(fan.ms.median / 3000)} the budget)` }
    : { source: 'issue 10', aim: '1 → 1,000 → 1 fan-out/fan-in under 3 s, durable', measured: fan?.error ?? 'not measured in this mode', met: null, gap: '' });

  const load = r.serverLoad && !r.serverLoad.skipped ? r.serverLoad : null;
  const conc = r.concurrency.find((c) => c.engine === 'llmctl-task');
  if (load || conc) {
    const peak = load ? load.peakRssMb : conc!.peakRssMb;
    const runs = load ? load.runs : conc!.runs;
    const where = load ? '`llmctl serve` process under HTTP load' : 'llmctl runtime in a process of its own';
    out.push({
      source: 'issue 10', aim: 'Server RSS under 200 MB with 200 concurrent runs',
      measured: `peak ${peak.toFixed(0)} MB (${where}, ${runs} concurrent runs)${load && conc ? `; runtime alone ${conc.peakRssMb.toFixed(0)} MB` : ''}`,
      met: runs >= 200 ? peak < 200 : null,
      gap: runs < 200 ? `only ${runs} concurrent runs in this mode` : peak < 200 ? `${(200 - peak).toFixed(0)} MB to spare` : `${(peak - 200).toFixed(0)} MB over (${x(peak / 200)})`,
    });
  } else out.push({ source: 'issue 10', aim: 'Server RSS under 200 MB with 200 concurrent runs', measured: 'not measured', met: null, gap: '' });

  if (r.engineBench) {
    const rows = r.engineBench.rows.filter((q) => q.variant === 'pass');
    const over = rows.filter((q) => q.perNodeMs.median >= 2);
    out.push({
      source: 'issue 4', aim: 'Under 2 ms of orchestration overhead per node (durable; pass-through nodes)',
      measured: rows.map((q) => `${q.label}: ${ms(q.perNodeMs.median)}/node`).join('; '),
      met: over.length === 0,
      gap: over.length === 0 ? 'met on every workload' : over.map((q) => `${q.label}: ${ms(q.perNodeMs.median - 2)} over (${x(q.perNodeMs.median / 2)} the budget)`).join('; '),
    });
    const task = r.engineBench.rows.filter((q) => q.variant === 'task');
    const tover = task.filter((q) => q.perNodeMs.median >= 2);
    out.push({
      source: 'issue 4', aim: 'Same with scripted task nodes (orchestration + model-call bookkeeping)',
      measured: task.map((q) => `${q.label}: ${ms(q.perNodeMs.median)}/node`).join('; '),
      met: tover.length === 0,
      gap: tover.length === 0 ? 'met on every workload' : tover.map((q) => `${q.label}: ${ms(q.perNodeMs.median - 2)} over (${x(q.perNodeMs.median / 2)})`).join('; '),
    });
  }
  out.push(...issue17Aims(r));
  return out;
}
