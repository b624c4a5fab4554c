import { LlmctlError } from '@llmctl/contracts';
import type { NodeHandler, NodeResult } from './node-handler.ts';
import type { TaskDeps } from './task-handler.ts';
import { callModel, completeStructured } from './task-handler.ts';
import { deterministicDecisionHandler, missingWarnings } from './builtin-handlers.ts';
import { renderText } from '@llmctl/engine';

/**
 * The documented built-in prompt of an `llm_guided` decision. It names the node id ("Decision node <id>") so
 * scripted responses can match it.
 */
export function decisionPrompt(nodeId: string, keys: string[], matchAll: boolean, input: unknown, instructions?: string): string {
  return [
    `Decision node ${nodeId}: choose ${matchAll ? 'every route that applies' : 'exactly one route'} for the input below.`,
    `Routes (route_key): ${keys.join(', ')}.`,
    instructions ? `Instructions: ${instructions}` : '',
    `Answer with JSON ${matchAll ? '{"route_keys": ["..."]}' : '{"route_key": "..."}'} only.`,
    `Input: ${JSON.stringify(input)}`,
  ].filter(Boolean).join('\n');
}

/** `decision` handler: deterministic decisions pass through; `llm_guided` ones ask the model for a route key. */
export function decisionHandler(deps: TaskDeps): NodeHandler {
  return async (x): Promise<NodeResult> => {
    const cfg = x.node.config ?? {};
    if ((cfg.mode ?? 'deterministic') !== 'llm_guided') return deterministicDecisionHandler(x);
    if (typeof cfg.model !== 'string') throw new LlmctlError('node_config_invalid', `llm_guided decision ${x.node.id} needs config.model`);
    const model = await deps.models.resolve(cfg.model);
    if (!model) throw new LlmctlError('model_unknown', `model "${cfg.model}" is not in the registry`, { model: cfg.model, node_id: x.node.id });
    const keys = (x.graph.triggerOut.get(x.node.id) ?? []).filter((e) => !e.fallback && e.route_key).map((e) => e.route_key!);
    const matchAll = cfg.match === 'all';
    const instructions = typeof cfg.prompt === 'string' ? renderText(cfg.prompt, x.scope) : undefined;
    if (instructions) missingWarnings(x, instructions.missing);
    const prompt = decisionPrompt(x.node.id, keys, matchAll, x.triggering, instructions?.value as string | undefined);
    const schema = matchAll
      ? { type: 'object', required: ['route_keys'], properties: { route_keys: { type: 'array', items: { type: 'string' } } } }
      : { type: 'object', required: ['route_key'], properties: { route_key: { type: 'string' } } };
    const messages = [{ role: 'user' as const, content: prompt }];
    const usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
    const add = (r: { usage: { input_tokens: number; output_tokens: number } }): void => {
      usage.input_tokens += r.usage.input_tokens;
      usage.output_tokens += r.usage.output_tokens;
      usage.model_calls += 1;
    };
    const common = { prompt, json_schema: schema };
    const first = await callModel(deps, x, model, messages, { ...common, kind: 'chat', toolCallsReturned: false });
    add(first);
    // An unknown key is a validation error the model may repair; after the repairs it counts as no match.
    const strict = matchAll
      ? { ...schema, properties: { route_keys: { type: 'array', items: { enum: keys } } } }
      : { ...schema, properties: { route_key: { enum: keys } } };
    let chosen: string[] = [];
    try {
      const v = (await completeStructured(deps, x, model, messages, first, strict, (cfg.max_repair_attempts as number | undefined) ?? 2, common, add)) as { route_key?: string; route_keys?: string[] };
      chosen = matchAll ? v.route_keys ?? [] : v.route_key ? [v.route_key] : [];
    } catch (err) {
      if (!(err instanceof LlmctlError) || err.code !== 'output_invalid') throw err;
      x.warn({ code: 'llm_route_unknown', message: `the model did not choose a known route key: ${err.message}` });
    }
    return { output: x.triggering, choice: { route_keys: chosen }, usage };
  };
}
