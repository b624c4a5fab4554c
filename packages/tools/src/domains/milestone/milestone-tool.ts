/** The `milestone` tool: create or update a milestone, or complete it; reports whether it terminates the run. */
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import { contractSchema } from '../../shared/contract-schema.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import type { MilestoneStatus, MilestoneStore } from './milestone-store.ts';

/** When a milestone node ends the run like an `end` node. */
export type MilestoneTerminate = 'never' | 'always' | 'on_complete';

/** Input of the `milestone` tool. */
export interface MilestoneToolInput {
  op: 'create_or_update' | 'complete';
  milestone_key: string;
  /** Required to create; updates the title when given. Default title: the key. */
  title?: string;
  /** Default `never`. */
  terminate?: MilestoneTerminate;
}

/** Output of the `milestone` tool (contracts `milestone-output`). */
export interface MilestoneToolOutput {
  milestone_key: string;
  title: string;
  status: MilestoneStatus;
  terminated: boolean;
}

/** True when the milestone's `terminate` setting ends the run given its status. */
export function milestoneTerminates(terminate: MilestoneTerminate, status: MilestoneStatus): boolean {
  return terminate === 'always' || (terminate === 'on_complete' && status === 'completed');
}

/** The `milestone` tool over `store`; emits a `milestone` artifact holding its output. */
export function milestoneTool(store: MilestoneStore, options: DomainToolOptions = {}): Tool<MilestoneToolInput, MilestoneToolOutput> {
  return defineTool<MilestoneToolInput, MilestoneToolOutput>({
    name: 'milestone',
    description: 'Create or update a milestone, or mark it completed.',
    input_schema: {
      type: 'object',
      required: ['op', 'milestone_key'],
      additionalProperties: false,
      properties: {
        op: { enum: ['create_or_update', 'complete'] },
        milestone_key: { type: 'string', minLength: 1, maxLength: 200 },
        title: { type: 'string', minLength: 1, maxLength: 2000 },
        terminate: { enum: ['never', 'always', 'on_complete'] },
      },
    },
    output_schema: contractSchema('milestone-output'),
    side_effect: 'write',
    retry: options.retry ?? { max_attempts: 3, backoff_ms: 100 },
    timeout_ms: options.timeout_ms ?? 15_000,
    async run(input, ctx) {
      const record = await store.update(ctx.run_id, input.milestone_key, (current) => ({
        flowchart_id: current?.flowchart_id ?? ctx.flowchart_id,
        title: input.title ?? current?.title ?? input.milestone_key,
        status: input.op === 'complete' ? 'completed' : (current?.status ?? 'open'),
      }));
      const output: MilestoneToolOutput = {
        milestone_key: record.milestone_key,
        title: record.title,
        status: record.status,
        terminated: milestoneTerminates(input.terminate ?? 'never', record.status),
      };
      ctx.emitArtifact({ kind: 'milestone', name: record.milestone_key, content: output });
      return output;
    },
  });
}
