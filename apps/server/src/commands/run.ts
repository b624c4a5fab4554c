import { readFile } from 'node:fs/promises';
import { LlmctlError } from '@llmctl/contracts';
import type { CommandContext } from '../cli.ts';
import { connect } from './api-client.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
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
    const names = new Map<string, string>();
    for (;;) {
      const events = await api.call<{ sequence: number; payload: Record<string, any> }[]>('GET', `/api/runs/${run.id}/events?after_sequence=${after}&limit=1000`);
      for (const e of events) {
        after = e.sequence;
        const p = e.payload;
        if (p.kind === 'node.queued') names.set(p.node_run.id, `${p.node_id} #${p.node_run.iteration}`);
        const label = p.node_run_id ? names.get(p.node_run_id) ?? p.node_id : undefined;
        if (p.kind === 'node.started') out(`  ${ICON.running} ${label} running`);
        else if (p.kind === 'node.succeeded') out(`  ${ICON.succeeded} ${label} ${p.outcome === 'success_with_warning' ? 'succeeded with warning' : 'succeeded'}${p.routing?.route_key ? ` → ${p.routing.route_key}` : ''}`);
        else if (p.kind === 'node.failed') out(`  ${ICON.failed} ${label} failed [${p.error?.code}] ${p.error?.message}`);
        else if (p.kind === 'node.attempt_failed') out(`  ! ${label} attempt ${p.n} failed [${p.error?.code}], retrying`);
        else if (p.kind === 'node.skipped') out(`  ${ICON.skipped} ${label} skipped`);
        else if (p.kind === 'run.status') {
          status = p.status;
          out(`run ${status}${p.error ? ` [${p.error.code}] ${p.error.message}` : ''}`);
        }
      }
      if (TERMINAL.has(status) || status === 'paused') break;
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
