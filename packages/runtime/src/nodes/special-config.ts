/** Config reading and template helpers shared by the special-node handlers. */
import { LlmctlError } from '@llmctl/contracts';
import { renderTemplate } from '@llmctl/engine';
import type { OnFailure } from './failure-policy.ts';
import type { PortChatResponse } from '../model-port.ts';
import { missingWarnings } from './builtin-handlers.ts';
import type { NodeExecution } from './node-handler.ts';
import type { GuidedPrompt } from './special-prompts.ts';
import { callModel, completeStructured, type TaskDeps } from './task-handler.ts';

/** The node's config object (empty when absent). */
export function configOf(x: NodeExecution): Record<string, unknown> {
  return (x.node.config ?? {}) as Record<string, unknown>;
}

/** A `node_config_invalid` error naming the node. */
export function configError(x: NodeExecution, message: string, details: Record<string, unknown> = {}): LlmctlError {
  return new LlmctlError('node_config_invalid', `${x.node.type} node ${x.node.id}: ${message}`, { node_id: x.node.id, ...details });
}

/** `config[field]` when it is one of `allowed`, `dflt` when absent; anything else is `node_config_invalid`. */
export function enumField<T extends string>(x: NodeExecution, field: string, allowed: readonly T[], dflt?: T): T {
  const v = configOf(x)[field];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw configError(x, `config.${field} must be one of ${allowed.join(', ')}`, { field, value: v ?? null });
}

/** `on_failure` (default `fail`). */
export function onFailureOf(x: NodeExecution): OnFailure {
  return enumField<OnFailure>(x, 'on_failure', ['fail', 'fallback'], 'fail');
}

/** A positive integer field, or `dflt`. */
export function positiveIntField(x: NodeExecution, field: string, dflt: number): number {
  const v = configOf(x)[field];
  if (v === undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  throw configError(x, `config.${field} must be a positive integer`, { field, value: v ?? null });
}

/** Renders a template over the node's scope, adding `template_path_missing` warnings. */
export function render(x: NodeExecution, tpl: unknown): unknown {
  const r = renderTemplate(tpl, x.scope);
  missingWarnings(x, r.missing);
  return r.value;
}

/** Text of a value: strings as they are, anything else as JSON (`""` for undefined and null). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** The rendered text of `config[field]` (a template), or of the triggering output when the field is absent. */
export function textField(x: NodeExecution, field: string): string {
  const tpl = configOf(x)[field];
  return asText(tpl === undefined ? x.triggering : render(x, tpl));
}

/** The rendered text of an optional template field, or undefined. */
export function optionalText(x: NodeExecution, field: string): string | undefined {
  const tpl = configOf(x)[field];
  if (tpl === undefined) return undefined;
  const text = asText(render(x, tpl)).trim();
  return text === '' ? undefined : text;
}

/** A required non-empty key field (`plan_key`, `milestone_key`, `collection`), rendered as a template. */
export function keyField(x: NodeExecution, field: string): string {
  const tpl = configOf(x)[field];
  const v = tpl === undefined ? '' : asText(render(x, tpl)).trim();
  if (v === '') throw configError(x, `config.${field} is required`, { field });
  return v;
}

/** Usage of the model calls of one llm_guided step. */
export interface GuidedUsage {
  input_tokens: number;
  output_tokens: number;
  model_calls: number;
}

/**
 * Asks `config.model` (through the task nodes' gateway and call log) for a JSON answer to a built-in prompt, with the
 * structured-output repair loop. Without `llm` deps or a model this is `node_config_invalid`; an unknown model is
 * `model_unknown`.
 */
export async function askModel<T>(llm: TaskDeps | undefined, x: NodeExecution, guided: GuidedPrompt, usage: GuidedUsage): Promise<T> {
  const cfg = configOf(x);
  if (typeof cfg.model !== 'string' || cfg.model === '') throw configError(x, 'llm_guided mode needs config.model', { field: 'model' });
  if (!llm) throw configError(x, 'llm_guided mode is not available in this runtime (no model gateway is wired)');
  const model = await llm.models.resolve(cfg.model);
  if (!model) throw new LlmctlError('model_unknown', `model "${cfg.model}" is not in the registry`, { model: cfg.model, node_id: x.node.id });
  const add = (r: PortChatResponse): void => {
    usage.input_tokens += r.usage.input_tokens;
    usage.output_tokens += r.usage.output_tokens;
    usage.model_calls += 1;
  };
  const messages = [{ role: 'user' as const, content: guided.prompt }];
  const common = { prompt: guided.prompt, json_schema: guided.schema };
  const first = await callModel(llm, x, model, messages, { ...common, kind: 'chat', toolCallsReturned: false });
  add(first);
  const maxRepairs = typeof cfg.max_repair_attempts === 'number' ? cfg.max_repair_attempts : 2;
  return (await completeStructured(llm, x, model, messages, first, guided.schema, maxRepairs, common, add)) as T;
}

/**
 * The mode of a special node: `config.mode` when set; otherwise `llm_guided` for a `plan`, `milestone` or `rag` node
 * that names a `config.model` (the spec gives those types no `mode` field, so naming a model is what makes them
 * llm_guided — the same reading as save-time validation), else `deterministic`.
 */
export function modeOf(x: NodeExecution): 'deterministic' | 'llm_guided' {
  const cfg = configOf(x);
  if (cfg.mode === undefined) {
    return ['plan', 'milestone', 'rag'].includes(x.node.type) && typeof cfg.model === 'string' ? 'llm_guided' : 'deterministic';
  }
  return enumField(x, 'mode', ['deterministic', 'llm_guided'] as const);
}
