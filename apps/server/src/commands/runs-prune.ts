import { LlmctlError } from '@llmctl/contracts';
import type { CommandContext } from '../cli.ts';
import { connect } from './api-client.ts';

function nonNegative(flags: CommandContext['flags'], name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new LlmctlError('validation_failed', `--${name} must be a whole number ≥ 0 (got ${String(v)}).`);
  return n;
}

/**
 * `llmctl runs prune [--keep-days N] [--keep-last N] [--flowchart ID]`: applies retention now on the server (the
 * configured policies, or the rules given by the flags) and prints how many finished runs were deleted.
 */
export async function runsPruneCommand({ flags, out, err }: CommandContext): Promise<number> {
  const days = nonNegative(flags, 'keep-days');
  const last = nonNegative(flags, 'keep-last');
  const body = {
    ...(days !== undefined ? { keep_finished_days: days } : {}),
    ...(last !== undefined ? { keep_last_runs: last } : {}),
    ...(flags.flowchart ? { flowchart_id: String(flags.flowchart) } : {}),
  };
  const api = await connect(flags, err);
  try {
    const r = await api.call<{ deleted_count: number }>('POST', '/api/runs/prune', body);
    const rule = days === undefined && last === undefined ? 'the configured retention policies' : [
      days ? `finished more than ${days} day(s) ago` : '', last ? `beyond the newest ${last} per flowchart` : '',
    ].filter(Boolean).join(' or ');
    out(`deleted ${r.deleted_count} finished run(s) (${rule || 'no rule: nothing to delete'})`);
    return 0;
  } finally {
    await api.close();
  }
}

/** `llmctl runs delete <run id>`: deletes one finished run with everything it owns. */
export async function runsDeleteCommand({ args, flags, out, err }: CommandContext): Promise<number> {
  const runId = args[1];
  if (!runId) throw new LlmctlError('validation_failed', 'usage: llmctl runs delete <run id>');
  const api = await connect(flags, err);
  try {
    await api.call('DELETE', `/api/runs/${encodeURIComponent(runId)}`);
    out(`run ${runId} deleted`);
    return 0;
  } finally {
    await api.close();
  }
}
