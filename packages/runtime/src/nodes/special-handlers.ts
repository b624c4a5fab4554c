/**
 * Handlers of the special nodes (flowchart-v1.md): `memory`, `plan`, `milestone`, `rag`. Each node run makes exactly
 * one tool call — tool `memory` / `plan` / `milestone` / `rag` through the {@link ToolGateway}, key
 * `<node run key>:tool:0` — so a node run retried after a crash or by the `retry` control replays the recorded
 * result instead of writing again. In `llm_guided` mode the model (`config.model`, through the task nodes' gateway)
 * first answers a built-in prompt (special-prompts.ts) and its answer becomes the tool input.
 *
 * `on_failure` (default `fail`): when the tool call fails, `fail` fails the node run with the tool's error code;
 * `fallback` completes it as `success_with_warning` (`fallback_used: true`, `degraded_reason` = the code, a warning
 * with the code) with an empty, schema-valid output. Configuration and model errors always fail.
 */
import { createHash } from 'node:crypto';
import { itemKeyFromTitle } from '@llmctl/contracts';
import { applyFailurePolicy } from './failure-policy.ts';
import type { NodeExecution, NodeHandler, NodeHandlers, NodeResult } from './node-handler.ts';
import {
  askModel, configError, configOf, enumField, keyField, modeOf, onFailureOf, optionalText, positiveIntField, render, textField,
  type GuidedUsage,
} from './special-config.ts';
import { memoryPrompt, milestonePrompt, planCompletePrompt, planItemsPrompt, ragPrompt, type PromptPlanItem } from './special-prompts.ts';
import type { TaskDeps } from './task-handler.ts';
import { toolCallKey, type ToolGateway } from './tool-gateway.ts';

/** What the special-node handlers need. */
export interface SpecialNodeDeps {
  tools: ToolGateway;
  /** The task nodes' model gateway and call log, for `llm_guided` modes (without it they fail with `node_config_invalid`). */
  llm?: TaskDeps;
  /** Read access to plans, so llm_guided plan nodes can show the model the current items. */
  plans?: { get(run_id: string, plan_key: string): Promise<{ items: PromptPlanItem[] } | null> };
}

/** Default number of memories a `retrieve` returns and of chunks a `rag` node retrieves. */
export const DEFAULT_MEMORY_LIMIT = 5;
export const DEFAULT_RAG_TOP_K = 5;

/** The id a degraded `add` reports: derived from the call's key, like the ids the memory tool writes. */
function fallbackMemoryId(key: string): string {
  return `mem_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

function newUsage(): GuidedUsage {
  return { input_tokens: 0, output_tokens: 0, model_calls: 0 };
}

/** Calls the node's one tool and applies `on_failure`. */
async function callTool(deps: SpecialNodeDeps, x: NodeExecution, tool: string, input: unknown, fallback_output: unknown, usage?: GuidedUsage): Promise<NodeResult> {
  const result = await deps.tools.invoke(x, tool, input, 0);
  if (x.signal.aborted) throw x.signal.reason;
  const applied = applyFailurePolicy(result, onFailureOf(x), { fallback_output });
  return {
    output: applied.output,
    warnings: applied.warnings,
    fallback_used: applied.fallback_used,
    degraded_reason: applied.degraded_reason,
    ...(usage && usage.model_calls > 0 ? { usage: { ...usage } } : {}),
  };
}

/** `memory`: `add` (text template) or `retrieve` (query template, `limit`), scope `flowchart` (default) or `global`. */
export function memoryHandler(deps: SpecialNodeDeps): NodeHandler {
  return async (x) => {
    const op = enumField(x, 'op', ['add', 'retrieve'] as const);
    const scope = enumField(x, 'scope', ['flowchart', 'global'] as const, 'flowchart');
    const usage = newUsage();
    let text: string;
    if (modeOf(x) === 'llm_guided') {
      const field = op === 'add' ? 'text' : 'query';
      const answer = await askModel<{ text?: string; query?: string }>(deps.llm, x, memoryPrompt(x.node.id, op, scope, x.triggering, optionalText(x, field)), usage);
      text = (op === 'add' ? answer.text : answer.query) ?? '';
    } else {
      text = textField(x, op === 'add' ? 'text' : 'query');
    }
    if (op === 'add') {
      const fallback = { op, memory: { id: fallbackMemoryId(toolCallKey(x, 0)), text, scope } };
      return callTool(deps, x, 'memory', { op, text, scope }, fallback, usage);
    }
    const limit = positiveIntField(x, 'limit', DEFAULT_MEMORY_LIMIT);
    return callTool(deps, x, 'memory', { op, query: text, scope, limit: Math.min(limit, 50) }, { op, memories: [], count: 0 }, usage);
  };
}

/** Plan items from a rendered `items` template: an array of titles or `{ key?, title, status? }`, JSON text, or lines. */
export function planItemsOf(value: unknown): unknown[] {
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.startsWith('[') || s.startsWith('{')) {
      try {
        return planItemsOf(JSON.parse(s));
      } catch {
        // not JSON: one title per line
      }
    }
    return s.split('\n').map((l) => l.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim()).filter((l) => l !== '').map((title) => ({ title }));
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { items?: unknown }).items)) {
    return planItemsOf((value as { items: unknown[] }).items);
  }
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : [value];
  return value.map((item) => {
    if (typeof item === 'string') return { title: item };
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Record<string, unknown>;
      return {
        ...(o.key !== undefined ? { key: typeof o.key === 'string' ? o.key : String(o.key) } : {}),
        title: typeof o.title === 'string' ? o.title : o.title === undefined ? '' : String(o.title),
        ...(o.status !== undefined ? { status: o.status } : {}),
      };
    }
    return item; // the tool's input schema rejects it (tool_input_invalid)
  });
}

/** `plan`: `create_or_update` (items template, or the model's items) or `complete_item` (`item_key`, or the model's pick). */
export function planHandler(deps: SpecialNodeDeps): NodeHandler {
  return async (x) => {
    const op = enumField(x, 'op', ['create_or_update', 'complete_item'] as const, 'create_or_update');
    const plan_key = keyField(x, 'plan_key');
    const usage = newUsage();
    const guided = modeOf(x) === 'llm_guided';
    const current = guided && deps.plans ? ((await deps.plans.get(x.run.id, plan_key))?.items ?? null) : null;
    const instructions = optionalText(x, 'prompt');
    if (op === 'create_or_update') {
      let items: unknown[];
      if (guided) {
        const answer = await askModel<{ items: unknown[] }>(deps.llm, x, planItemsPrompt(x.node.id, plan_key, current, x.triggering, instructions), usage);
        items = planItemsOf(answer.items);
      } else {
        if (configOf(x).items === undefined) throw configError(x, 'create_or_update needs config.items (or mode llm_guided)', { field: 'items' });
        items = planItemsOf(render(x, configOf(x).items));
      }
      return callTool(deps, x, 'plan', { op, plan_key, items }, { plan_key, items: [] }, usage);
    }
    let item_key: string;
    if (guided) {
      const answer = await askModel<{ item_key: string }>(deps.llm, x, planCompletePrompt(x.node.id, plan_key, current, x.triggering, instructions), usage);
      item_key = answer.item_key;
    } else {
      const key = optionalText(x, 'item_key');
      const title = key === undefined ? optionalText(x, 'item_title') : undefined;
      if (key === undefined && title === undefined) throw configError(x, 'complete_item needs config.item_key (or mode llm_guided)', { field: 'item_key' });
      item_key = key ?? itemKeyFromTitle(title ?? '');
    }
    return callTool(deps, x, 'plan', { op, plan_key, item_key }, { plan_key, items: [], completed_item: null }, usage);
  };
}

/**
 * `milestone`: `create_or_update` or `complete` (in `llm_guided` mode the model decides whether it is reached:
 * `completed: true` completes it). `terminate` (`never` / `always` / `on_complete`) ends the run like an `end` node
 * when the tool reports `terminated`; a fallback terminates only under `always`.
 */
export function milestoneHandler(deps: SpecialNodeDeps): NodeHandler {
  return async (x) => {
    let op = enumField(x, 'op', ['create_or_update', 'complete'] as const, 'create_or_update');
    const milestone_key = keyField(x, 'milestone_key');
    const terminate = enumField(x, 'terminate', ['never', 'always', 'on_complete'] as const, 'never');
    let title = optionalText(x, 'title');
    const usage = newUsage();
    if (modeOf(x) === 'llm_guided') {
      const answer = await askModel<{ completed: boolean; title?: string }>(
        deps.llm, x, milestonePrompt(x.node.id, milestone_key, title, x.triggering, optionalText(x, 'prompt')), usage,
      );
      op = answer.completed ? 'complete' : 'create_or_update';
      title = answer.title ?? title;
    }
    const fallback = { milestone_key, title: title ?? milestone_key, status: 'open', terminated: terminate === 'always' };
    const result = await callTool(deps, x, 'milestone', { op, milestone_key, ...(title ? { title } : {}), terminate }, fallback, usage);
    return { ...result, terminate: (result.output as { terminated?: unknown } | null)?.terminated === true };
  };
}

/**
 * `rag`: the `top_k` chunks of `collection` most relevant to the rendered `query` (default: the triggering output).
 * A rag node naming a `model` (llm_guided) lets the model write the query, with the `query` template as instructions.
 */
export function ragHandler(deps: SpecialNodeDeps): NodeHandler {
  return async (x) => {
    const collection = keyField(x, 'collection');
    const top_k = Math.min(positiveIntField(x, 'top_k', DEFAULT_RAG_TOP_K), 50);
    const usage = newUsage();
    const query = modeOf(x) === 'llm_guided'
      ? (await askModel<{ query: string }>(deps.llm, x, ragPrompt(x.node.id, collection, x.triggering, optionalText(x, 'query')), usage)).query
      : textField(x, 'query');
    return callTool(deps, x, 'rag', { collection, query, top_k }, { collection, query, results: [] }, usage);
  };
}

/** The four special-node handlers keyed by node type, for `OrchestratorOptions.handlers`. */
export function specialHandlers(deps: SpecialNodeDeps): NodeHandlers {
  return { memory: memoryHandler(deps), plan: planHandler(deps), milestone: milestoneHandler(deps), rag: ragHandler(deps) };
}
