import { readFile } from 'node:fs/promises';
import { LlmctlError, isRunEndStatus, type NodeRun } from '@llmctl/contracts';
import { foldRunEvent, newRunFold, nodeRunView, type RunFold } from '@llmctl/engine';
import type { CommandContext } from '../cli.ts';
import { connect } from './api-client.ts';

const ICON: Record<string, string> = { queued: '·', running: '▶', succeeded: '✓', failed: '✗', skipped: '↷', canceled: '■', superseded: '↺' };

function parseInput(raw: unknown): unknown {
  if (raw === undefined) return {};
  try {
    return JSON.parse(String(raw));
  } catch (e) {
    throw new LlmctlError('validation_failed', `--input is not valid JSON: ${(e as Error).message}`);
  }
}

interface FailedNodeRun {
  id: string;
  node_id: string;
  status: string;
  retry_of: string | null;
  error: { code: string; message: string } | null;
}

/** For a failed run: the failed node runs nobody retried yet, and the exact command that retries each. */
export function retryHint(runId: string, nodeRuns: readonly FailedNodeRun[]): string[] {
  const retried = new Set(nodeRuns.map((n) => n.retry_of).filter((x): x is string => typeof x === 'string'));
  return nodeRuns.filter((n) => n.status === 'failed' && !retried.has(n.id)).flatMap((n) => [
    `failed node run ${n.id} (node ${n.node_id})${n.error ? `: [${n.error.code}] ${n.error.message}` : ''}`,
    `  retry it with:  llmctl runs retry ${runId} --node-run ${n.id}`,
    `  or skip it:     llmctl runs skip ${runId} --node-run ${n.id} --output '<json>'`,
  ]);
}

/** The progress line of a node run's current view (null: nothing to say, e.g. queued). */
export function progressLine(nr: NodeRun): string | null {
  const label = `${nr.node_id} #${nr.iteration}`;
  const last = nr.attempts[nr.attempts.length - 1];
  switch (nr.status) {
    case 'running':
      if (last?.error && last.finished_at) return `  ! ${label} attempt ${last.n} failed [${last.error.code}], retrying`;
      // a flowchart node: its child run's id, then how the child ended (the parent's subflow.child_* events)
      return `  ${ICON.running} ${label} running${nr.child_run ? `, child run ${nr.child_run.id} ${nr.child_run.status}` : ''}`;
    case 'succeeded':
      return `  ${ICON.succeeded} ${label} ${nr.outcome === 'success_with_warning' ? 'succeeded with warning' : 'succeeded'}${nr.routing?.route_key ? ` → ${nr.routing.route_key}` : ''}`;
    case 'failed':
      return `  ${ICON.failed} ${label} failed [${nr.error?.code}] ${nr.error?.message}`;
    case 'queued':
      return null;
    default:
      return `  ${ICON[nr.status] ?? '·'} ${label} ${nr.status}`;
  }
}

/**
 * Live progress of a run from its logged events: each event is folded by the engine's shared projection (the CLI does
 * not interpret event kinds), and a line is printed whenever the view of a node run it touched, or the run's status,
 * reads differently than before. Returns the run's status after the events.
 */
export class RunProgress {
  private readonly printed = new Map<string, string>();
  private status = 'queued';

  constructor(private readonly fold: RunFold, private readonly out: (line: string) => void) {}

  /** Folds logged event payloads (in sequence order) and prints what changed. */
  apply(payloads: readonly unknown[]): string {
    for (const p of payloads) {
      const effect = foldRunEvent(this.fold, p);
      for (const id of new Set(effect.node_run_ids)) {
        const nr = this.fold.state.node_runs[id];
        const line = nr ? progressLine(nodeRunView(nr)) : null;
        if (line && this.printed.get(id) !== line) this.out(line);
        if (line) this.printed.set(id, line);
      }
      const s = this.fold.state;
      if (s.status !== this.status) {
        if (!(this.status === 'queued' && s.status === 'running')) this.out(`run ${s.status}${s.error ? ` [${s.error.code}] ${s.error.message}` : ''}`);
        this.status = s.status;
      }
    }
    return this.status;
  }
}

/** `llmctl run <flowchart.json|id> [--input JSON]`: starts a run, prints node states live, exits 0 only on success. */
export async function runCommand({ args, flags, out, err }: CommandContext): Promise<number> {
  const target = args[0];
  if (!target) throw new LlmctlError('validation_failed', 'usage: llmctl run <flowchart.json|flowchart id> [--input JSON]');
  const input = parseInput(flags.input);
  const api = await connect(flags, err);
  try {
    let flowchartId = target;
    if (!/^fc_[0-9a-z]+$/.test(target)) {
      const doc = JSON.parse(await readFile(target, 'utf8').catch((e: Error) => {
        throw new LlmctlError('not_found', `cannot read ${target}: ${e.message}`);
      }));
      const fc = await api.call<{ id: string; version: number; warnings: { code: string; message: string }[] }>('POST', '/api/flowcharts', doc);
      for (const w of fc.warnings ?? []) err(`warning [${w.code}] ${w.message}`);
      flowchartId = fc.id;
      out(`saved ${target} as flowchart ${fc.id} (version ${fc.version})`);
    }
    const run = await api.call<{ id: string }>('POST', `/api/flowcharts/${flowchartId}/runs`, { input });
    out(`run ${run.id} started`);
    let after = 0;
    let status = 'queued';
    const progress = new RunProgress(newRunFold(run.id), out);
    for (;;) {
      const events = await api.call<{ sequence: number; payload: unknown }[]>('GET', `/api/runs/${run.id}/events?after_sequence=${after}&limit=1000`);
      if (events.length > 0) {
        after = events[events.length - 1]!.sequence;
        status = progress.apply(events.map((e) => e.payload));
      }
      if (isRunEndStatus(status) || status === 'paused') break;
      if (events.length === 0) await api.call('GET', `/api/runs/${run.id}?wait_s=1`).catch(() => undefined);
    }
    const final = await api.call<{ status: string; output: unknown; node_runs?: FailedNodeRun[] }>('GET', `/api/runs/${run.id}`);
    if (final.status === 'succeeded') out(JSON.stringify(final.output, null, 2));
    if (final.status === 'failed') for (const line of retryHint(run.id, final.node_runs ?? [])) err(line);
    return final.status === 'succeeded' ? 0 : 1;
  } finally {
    await api.close();
  }
}
