/** The `plan` tool: create or update a plan's items, or complete one item. */
import { LlmctlError, itemKeyFromTitle } from '@llmctl/contracts';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import { contractSchema } from '../../shared/contract-schema.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import type { PlanDraft, PlanItem, PlanItemStatus, PlanRecord, PlanStore } from './plan-store.ts';

/** Input of the `plan` tool. `items` upsert by key (a missing key is derived from the title); others are kept. */
export interface PlanToolInput {
  op: 'create_or_update' | 'complete_item';
  plan_key: string;
  items?: { key?: string; title: string; status?: PlanItemStatus }[];
  item_key?: string;
}

/** Output of the `plan` tool (contracts `plan-output`). */
export interface PlanToolOutput {
  plan_key: string;
  items: PlanItem[];
  completed_item?: PlanItem | null;
}

/** A stable item key from a title (the rule lives in contracts; re-exported here). */
export { itemKeyFromTitle };

function draftOf(items: PlanItem[], flowchart_id: string | null): PlanDraft {
  return { flowchart_id, items, status: items.length > 0 && items.every((i) => i.status === 'completed') ? 'completed' : 'open' };
}

/** Merges `updates` into `current` items: matching keys are updated in place, new keys appended in order. */
export function mergePlanItems(current: readonly PlanItem[], updates: NonNullable<PlanToolInput['items']>): PlanItem[] {
  const items = current.map((i) => ({ ...i }));
  const usedKeys = new Set(items.map((i) => i.key));
  for (const u of updates) {
    let key = u.key;
    if (key === undefined) {
      const base = itemKeyFromTitle(u.title);
      const sameTitle = items.find((i) => i.title === u.title);
      key = sameTitle ? sameTitle.key : base;
      for (let n = 2; !sameTitle && usedKeys.has(key); n += 1) key = `${base}-${n}`;
    }
    const existing = items.find((i) => i.key === key);
    if (existing) {
      existing.title = u.title;
      if (u.status) existing.status = u.status;
    } else {
      items.push({ key, title: u.title, status: u.status ?? 'pending' });
      usedKeys.add(key);
    }
  }
  return items;
}

/** The `plan` tool over `store`; emits a `plan` artifact holding its output. */
export function planTool(store: PlanStore, options: DomainToolOptions = {}): Tool<PlanToolInput, PlanToolOutput> {
  return defineTool<PlanToolInput, PlanToolOutput>({
    name: 'plan',
    description: 'Create or update a plan (its items upserted by key), or mark one plan item completed.',
    input_schema: {
      type: 'object',
      required: ['op', 'plan_key'],
      additionalProperties: false,
      properties: {
        op: { enum: ['create_or_update', 'complete_item'] },
        plan_key: { type: 'string', minLength: 1, maxLength: 200 },
        items: {
          type: 'array',
          maxItems: 500,
          items: {
            type: 'object',
            required: ['title'],
            additionalProperties: false,
            properties: {
              key: { type: 'string', minLength: 1, maxLength: 200 },
              title: { type: 'string', minLength: 1, maxLength: 2000 },
              status: { enum: ['pending', 'in_progress', 'completed'] },
            },
          },
        },
        item_key: { type: 'string', minLength: 1, maxLength: 200 },
      },
      allOf: [
        { if: { properties: { op: { const: 'create_or_update' } } }, then: { required: ['items'] } },
        { if: { properties: { op: { const: 'complete_item' } } }, then: { required: ['item_key'] } },
      ],
    },
    output_schema: contractSchema('plan-output'),
    side_effect: 'write',
    retry: options.retry ?? { max_attempts: 3, backoff_ms: 100 },
    timeout_ms: options.timeout_ms ?? 15_000,
    async run(input, ctx) {
      let completed: PlanItem | null = null;
      const record: PlanRecord = await store.update(ctx.run_id, input.plan_key, (current) => {
        if (input.op === 'create_or_update') {
          return draftOf(mergePlanItems(current?.items ?? [], input.items ?? []), current?.flowchart_id ?? ctx.flowchart_id);
        }
        const item = current?.items.find((i) => i.key === input.item_key);
        if (!current || !item) {
          throw new LlmctlError('plan_item_not_found', `Plan "${input.plan_key}" has no item "${input.item_key}"`, {
            plan_key: input.plan_key,
            item_key: input.item_key,
            known_items: current?.items.map((i) => i.key) ?? [],
          });
        }
        item.status = 'completed';
        completed = { ...item };
        return draftOf(current.items, current.flowchart_id);
      });
      const output: PlanToolOutput = {
        plan_key: record.plan_key,
        items: record.items.map((i) => ({ key: i.key, title: i.title, status: i.status })),
        ...(input.op === 'complete_item' ? { completed_item: completed } : {}),
      };
      ctx.emitArtifact({ kind: 'plan', name: record.plan_key, content: output });
      return output;
    },
  });
}
