/**
 * Which control actions are legal for a run and a node run, per runtime.md "State machines" and "Run control".
 * The studio enables a button only when its action is legal; the server still has the last word (409s are shown).
 */
import type { ControlAction, NodeRun, Run, RunStatus } from '@llmctl/contracts';

/** Active run statuses (runtime.md). */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'pausing', 'paused', 'canceling'];

/** Whether a run status is active (not terminal). */
export function isActiveRun(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Run-level actions and whether each is legal from `status`. */
export function runControls(status: RunStatus): Record<'pause' | 'resume' | 'cancel', boolean> {
  return {
    pause: status === 'queued' || status === 'running',
    resume: status === 'paused',
    cancel: status === 'queued' || status === 'running' || status === 'pausing' || status === 'paused',
  };
}

/** Why a node-level action is not legal (null when it is). */
export type ControlVerdict = { ok: true } | { ok: false; reason: string };

const ok: ControlVerdict = { ok: true };
const no = (reason: string): ControlVerdict => ({ ok: false, reason });

/**
 * Node-run actions (retry, skip, rewind) for one node run of a run, each with the reason when illegal.
 * `nodeRuns` is the run's full node-run list (a node run that already has a retry cannot be retried again).
 */
export function nodeRunControls(
  run: Pick<Run, 'status' | 'continued_to'>,
  nodeRun: Pick<NodeRun, 'id' | 'status' | 'started_at'>,
  nodeRuns: readonly Pick<NodeRun, 'retry_of'>[] = [],
): Record<'retry' | 'skip' | 'rewind', ControlVerdict> {
  const rs = run.status;
  const ns = nodeRun.status;
  let retry: ControlVerdict;
  if (rs !== 'failed' && rs !== 'paused') retry = no(`retry needs a failed or paused run (run is ${rs})`);
  else if (ns !== 'failed') retry = no(`retry needs a failed node run (it is ${ns})`);
  else if (nodeRuns.some((n) => n.retry_of === nodeRun.id)) retry = no('this node run was already retried');
  else retry = ok;

  let skip: ControlVerdict;
  if (rs !== 'running' && rs !== 'paused' && rs !== 'failed') skip = no(`skip needs a running, paused or failed run (run is ${rs})`);
  else if (ns !== 'failed' && ns !== 'queued') skip = no(`skip needs a failed or queued node run (it is ${ns})`);
  else skip = ok;

  let rewind: ControlVerdict;
  if (rs !== 'paused' && rs !== 'failed' && rs !== 'succeeded' && rs !== 'canceled') rewind = no(`rewind needs a paused, failed, succeeded or canceled run (run is ${rs})`);
  else if (run.continued_to) rewind = no('the run continued as a new run; it cannot be rewound');
  else if (ns === 'superseded') rewind = no('this node run is superseded');
  else if (ns === 'queued' || ns === 'running') rewind = no(`node run is ${ns}: it has no checkpoint yet`);
  else if (nodeRun.started_at === null && ns !== 'skipped') rewind = no('node run never started');
  else rewind = ok;
  return { retry, skip, rewind };
}

/** Whether an action needs a node run id. */
export function isNodeAction(action: ControlAction): action is 'retry' | 'skip' | 'rewind' {
  return action === 'retry' || action === 'skip' || action === 'rewind';
}

/** Every run status in lifecycle order (mirrors RUN_STATUSES of the contracts package; kept local so the studio bundle imports only types from it). */
export const RUN_STATUS_LIST: readonly RunStatus[] = ['queued', 'running', 'pausing', 'paused', 'canceling', 'succeeded', 'failed', 'canceled'];
