import { CONTROL_ACTIONS, LlmctlError, type ControlAction } from '@llmctl/contracts';
import type { CommandContext } from '../cli.ts';
import { connect } from './api-client.ts';
import { runsDeleteCommand, runsPruneCommand } from './runs-prune.ts';
import { runsEventsCommand, runsListCommand, runsShowCommand } from './read-commands.ts';

/** `llmctl runs <pause|resume|cancel|retry|skip|rewind> <run id> [--node-run ID] [--output JSON] [--input-override JSON] [--mode now] [--reason TEXT]`. */
export async function runsControlCommand(ctx: CommandContext): Promise<number> {
  const { args, flags, out, err } = ctx;
  const [action, runId] = args;
  if (action === 'prune') return runsPruneCommand(ctx);
  if (action === 'delete') return runsDeleteCommand(ctx);
  if (action === 'list') return runsListCommand(ctx);
  if (action === 'show') return runsShowCommand(ctx);
  if (action === 'events' || action === 'logs') return runsEventsCommand(ctx, action === 'logs');
  if (!action || !(CONTROL_ACTIONS as readonly string[]).includes(action) || !runId) {
    throw new LlmctlError('validation_failed', `usage: llmctl runs <${CONTROL_ACTIONS.join('|')}> <run id> [--node-run ID] [--output JSON] [--reason TEXT]`);
  }
  const json = (name: string): unknown => {
    const v = flags[name];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(String(v));
    } catch (e) {
      throw new LlmctlError('validation_failed', `--${name} is not valid JSON: ${(e as Error).message}`);
    }
  };
  const body = {
    action: action as ControlAction,
    ...(flags['node-run'] ? { node_run_id: String(flags['node-run']) } : {}),
    ...(flags.output !== undefined ? { output: json('output') } : {}),
    ...(flags['input-override'] !== undefined ? { input_override: json('input-override') } : {}),
    ...(flags.mode ? { mode: String(flags.mode) } : {}),
    ...(flags.reason ? { reason: String(flags.reason) } : {}),
  };
  const api = await connect(flags, err);
  try {
    const r = await api.call<{ run: { id: string; status: string }; superseded_node_run_ids?: string[]; side_effects?: unknown[] }>('POST', `/api/runs/${runId}/control`, body);
    out(`run ${r.run.id}: ${action} → ${r.run.status}`);
    if (r.superseded_node_run_ids?.length) out(`superseded: ${r.superseded_node_run_ids.join(', ')}`);
    if (r.side_effects?.length) out(`side effects not undone: ${JSON.stringify(r.side_effects)}`);
    return 0;
  } finally {
    await api.close();
  }
}
