import type { TaskConfig } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import { renderTemplate, renderText } from '@llmctl/engine';
import type { ModelCallLog, ModelCallRecord } from '../ports.ts';
import type { ModelGateway, PortChatMessage, PortChatRequest, PortChatResponse, ResolvedModel } from '../model-port.ts';
import { journalRequest, journalResponse, modelCallKey, replayable, reportedCost, requestDigest } from './model-journal.ts';
import { parseJsonAnswer, schemaErrors } from '../structured-output.ts';
import { findUnstorable } from '../storable.ts';
import type { NodeExecution, NodeHandler, NodeResult } from './node-handler.ts';
import { missingWarnings } from './builtin-handlers.ts';

/** Runs an agent tool call (wired to the tool framework); returns the tool result as JSON. */
export type ToolInvoker = (x: NodeExecution, name: string, args: Record<string, unknown>, index: number) => Promise<unknown>;

export interface TaskDeps {
  models: ModelGateway;
  calls: ModelCallLog;
  newId: (prefix: string) => string;
  tools?: { specs: (names: string[]) => { name: string; description?: string; input_schema: Record<string, unknown> }[]; invoke: ToolInvoker };
  /** Agent loop step limit (model calls that ask for tools). */
  maxAgentSteps?: number;
}

/** Options of {@link callModel}. */
export interface CallModelOptions {
  kind: 'chat' | 'repair' | 'agent_step';
  json_schema?: Record<string, unknown>;
  tools?: ReturnType<NonNullable<TaskDeps['tools']>['specs']>;
  prompt: string;
  toolCallsReturned: boolean;
  temperature?: number;
  max_tokens?: number;
  /** Tool-loop step of a chat / agent_step call: journaled under `<node run key>:model:<step>`. */
  step?: number;
  /** Repair attempt number of a repair call. */
  repair_attempt?: number;
  /** Journaled steps of earlier attempts: a recorded step of the same request is replayed, not called again. */
  journal?: readonly ModelCallRecord[];
  /**
   * Where the record of a succeeded call without tool calls goes instead of `calls.record` (it is stored with the
   * node's commit). Tool-loop steps that asked for tools, failures and replays are always recorded at once: the
   * journal must hold a step before its tools run.
   */
  deferTo?: ModelCallRecord[];
}

function parsedOutcome(schema: Record<string, unknown> | undefined, res: PortChatResponse): unknown {
  if (!schema || res.tool_calls.length > 0) return null;
  try {
    const value = parseJsonAnswer(res.text);
    const problems = schemaErrors(schema, value);
    return problems.length === 0 ? { value } : { value, problems };
  } catch (err) {
    return { problems: [err instanceof Error ? err.message : String(err)] };
  }
}

/**
 * One traced model call of a node run attempt, journaled in the model-call log (request, raw response, tool calls,
 * parsed output, usage, latency, cost) in the one insert that records the call. A tool-loop step already journaled
 * for the same request by an earlier attempt of this node run key is replayed instead (status `replayed`).
 */
export async function callModel(deps: TaskDeps, x: NodeExecution, model: ResolvedModel, messages: PortChatMessage[], opts: CallModelOptions): Promise<PortChatResponse> {
  const started = new Date().toISOString();
  const t0 = performance.now();
  let responseIndex: number | null = null;
  // Optional fields assigned in order, not spread in (the same keys in the same order, built faster).
  const req: PortChatRequest = { model: model.model, messages };
  if (opts.json_schema) req.json_schema = opts.json_schema;
  if (opts.tools && opts.tools.length > 0) req.tools = opts.tools;
  if (opts.temperature !== undefined) req.temperature = opts.temperature;
  if (opts.max_tokens !== undefined) req.max_tokens = opts.max_tokens;
  const key = opts.step !== undefined ? modelCallKey(x.nodeRun.idempotency_key, opts.step) : null;
  const request = journalRequest(model, req);
  const id = deps.newId('mc');
  // The record's fields listed in full (not `{ ...base, … }`: V8 builds a spread followed by ten fields many times slower).
  // (`replayed_from`, when present, between `cost` and `started_at` as before; the rest of a replay record is the same.)
  const recordOf = (r: Pick<ModelCallRecord, 'response_index' | 'status' | 'error' | 'usage' | 'response' | 'parsed_output' | 'latency_ms' | 'cost' | 'started_at' | 'finished_at'> & { replayed_from?: string }): ModelCallRecord => (r.replayed_from === undefined ? {
    id, run_id: x.run.id, node_run_id: x.nodeRun.id, node_id: x.node.id, model_name: model.name, provider: model.provider,
    attempt: x.attempt, kind: opts.kind, idempotency_key: key, step: opts.step ?? null, repair_attempt: opts.repair_attempt ?? null, request,
    response_index: r.response_index, status: r.status, error: r.error, usage: r.usage, response: r.response, parsed_output: r.parsed_output,
    latency_ms: r.latency_ms, cost: r.cost, started_at: r.started_at, finished_at: r.finished_at,
  } : {
    id, run_id: x.run.id, node_run_id: x.nodeRun.id, node_id: x.node.id, model_name: model.name, provider: model.provider,
    attempt: x.attempt, kind: opts.kind, idempotency_key: key, step: opts.step ?? null, repair_attempt: opts.repair_attempt ?? null, request,
    response_index: r.response_index, status: r.status, error: r.error, usage: r.usage, response: r.response, parsed_output: r.parsed_output,
    latency_ms: r.latency_ms, cost: r.cost, replayed_from: r.replayed_from, started_at: r.started_at, finished_at: r.finished_at,
  });
  const replay = key && opts.journal ? replayable(opts.journal, key, requestDigest(req)) : null;
  if (replay) {
    await deps.calls.record(recordOf({
      response_index: null, status: 'replayed', error: null, usage: replay.record.usage, response: replay.record.response ?? null,
      parsed_output: null, latency_ms: 0, cost: null, replayed_from: replay.record.id, started_at: started, finished_at: new Date().toISOString(),
    }));
    return replay.response;
  }
  try {
    const res = await model.chat(req, {
      signal: x.signal,
      onToken: (d) => x.emitToken(d),
      scripted: {
        render: (v) => renderTemplate(v, x.scope).value,
        countPriorCalls: (i) => deps.calls.countScripted(model.name, x.run.id, x.node.id, i),
        recordCall: async (i) => {
          responseIndex = i;
        },
        toolCallsAlreadyReturned: opts.toolCallsReturned,
        prompt: opts.prompt,
      },
    });
    const record = recordOf({
      response_index: responseIndex, status: 'succeeded', error: null, usage: res.usage as unknown as Record<string, unknown>,
      response: journalResponse(model, res), parsed_output: model.redact ? model.redact(parsedOutcome(opts.json_schema, res)) : parsedOutcome(opts.json_schema, res),
      latency_ms: Math.round(performance.now() - t0), cost: reportedCost(res), started_at: started, finished_at: new Date().toISOString(),
    });
    if (opts.deferTo && res.tool_calls.length === 0 && !findUnstorable(record)) opts.deferTo.push(record);
    else await deps.calls.record(record);
    return res;
  } catch (err) {
    const e = err instanceof LlmctlError ? err.toInfo() : { code: 'provider_error', message: String((err as Error)?.message ?? err), details: {}, retryable: false };
    await deps.calls.record(recordOf({
      response_index: responseIndex, status: 'failed', error: e, usage: null, response: null, parsed_output: null,
      latency_ms: Math.round(performance.now() - t0), cost: null, started_at: started, finished_at: new Date().toISOString(),
    })).catch(() => undefined);
    throw err;
  }
}

/** Builds the `task` node handler: prompt templates, structured output with repairs, agent tool calls, streaming. */
export function taskHandler(deps: TaskDeps): NodeHandler {
  return async (x): Promise<NodeResult> => {
    const cfg = (x.node.config ?? {}) as Partial<TaskConfig>;
    if (typeof cfg.model !== 'string' || typeof cfg.prompt !== 'string') {
      throw new LlmctlError('node_config_invalid', `task ${x.node.id} needs config.model and config.prompt`);
    }
    const model = await deps.models.resolve(cfg.model);
    if (!model) throw new LlmctlError('model_unknown', `model "${cfg.model}" is not in the registry`, { model: cfg.model, node_id: x.node.id });
    const prompt = renderText(cfg.prompt, x.scope);
    missingWarnings(x, prompt.missing);
    const messages: PortChatMessage[] = [];
    if (cfg.system) {
      const sys = renderText(cfg.system, x.scope);
      missingWarnings(x, sys.missing);
      messages.push({ role: 'system', content: sys.value as string });
    }
    messages.push({ role: 'user', content: prompt.value as string });
    const tools = cfg.tools && cfg.tools.length > 0 && deps.tools ? deps.tools.specs(cfg.tools) : undefined;
    const usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
    const add = (r: PortChatResponse): void => {
      usage.input_tokens += r.usage.input_tokens;
      usage.output_tokens += r.usage.output_tokens;
      usage.model_calls += 1;
    };
    // Records of calls that need not be durable before the attempt ends go with the node's own commit.
    const deferred: ModelCallRecord[] | undefined = x.modelCallsInCommit ? [] : undefined;
    const common: CallCommon = { prompt: prompt.value as string, temperature: cfg.temperature, max_tokens: cfg.max_tokens, json_schema: cfg.output_schema };
    if (deferred) common.deferTo = deferred;
    try {
      const result = await runTask(deps, x, cfg, model, messages, tools, common, usage, add);
      if (deferred && deferred.length > 0) {
        for (const c of deferred) deps.calls.observe?.(c);
        result.model_calls = deferred;
      }
      return result;
    } catch (err) {
      // The attempt fails: its calls are recorded now, as they always were (retries count them).
      for (const c of deferred?.splice(0) ?? []) await deps.calls.record(c).catch(() => undefined);
      throw err;
    }
  };
}

/** The model calls of a task attempt: the agent loop, then structured output with repairs. */
async function runTask(
  deps: TaskDeps, x: NodeExecution, cfg: Partial<TaskConfig>, model: ResolvedModel, messages: PortChatMessage[],
  tools: CallModelOptions['tools'], common: CallCommon, usage: Record<string, number>, add: (r: PortChatResponse) => void,
): Promise<NodeResult> {
  // Agent loop: the model may call tools; each result goes back until it answers without tool calls.
  // An attempt that runs the loop again (interrupted, retried) replays the steps journaled for this node run key.
  const again = x.attempt > 1 || x.nodeRun.attempts.length > 1 || x.nodeRun.retry_of !== null;
  const journal = tools && again && deps.calls.journal ? await deps.calls.journal(x.run.id, x.node.id, x.nodeRun.idempotency_key) : undefined;
  let res = await callModel(deps, x, model, messages, callOptions(common, 'chat', tools, false, 0, journal));
  add(res);
  let toolIndex = 0;
  for (let step = 0; res.tool_calls.length > 0; step++) {
    if (!deps.tools) throw new LlmctlError('tool_unknown', `the model asked for tools but none are available to ${x.node.id}`);
    if (step >= (deps.maxAgentSteps ?? 8)) throw new LlmctlError('tool_failed', `agent step limit (${deps.maxAgentSteps ?? 8}) reached`, { node_id: x.node.id });
    messages.push({ role: 'assistant', content: res.text, tool_calls: res.tool_calls });
    for (const call of res.tool_calls) {
      const out = await deps.tools.invoke(x, call.name, call.arguments, toolIndex++);
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(out) });
    }
    res = await callModel(deps, x, model, messages, callOptions(common, 'agent_step', tools, true, step + 1, journal));
    add(res);
  }

  if (!cfg.output_schema) return { output: { text: res.text }, usage };
  const value = await completeStructured(deps, x, model, messages, res, cfg.output_schema, cfg.max_repair_attempts ?? 2, common, add);
  return { output: value, usage };
}

type CallCommon = { prompt: string; temperature?: number; max_tokens?: number; json_schema?: Record<string, unknown>; deferTo?: ModelCallRecord[] };

/**
 * The options of a tool-loop step: `common` and the step's own fields (built with its fields listed: V8 builds
 * `{ ...common, kind, … }` many times slower; absent fields of `common` stay absent).
 */
function callOptions(common: CallCommon, kind: 'chat' | 'agent_step', tools: CallModelOptions['tools'], toolCallsReturned: boolean, step: number, journal: readonly ModelCallRecord[] | undefined): CallModelOptions {
  const o: CallModelOptions = { prompt: common.prompt, kind, tools, toolCallsReturned, step };
  if ('temperature' in common) o.temperature = common.temperature;
  if ('max_tokens' in common) o.max_tokens = common.max_tokens;
  if ('json_schema' in common) o.json_schema = common.json_schema;
  if (common.deferTo) o.deferTo = common.deferTo;
  if (journal) o.journal = journal;
  return o;
}

/**
 * Parses and validates a structured answer; on failure shows the model its answer and the errors, up to
 * `maxRepairs` times in the same attempt (each repair a traced model call). Exhausted: non-retryable output_invalid.
 */
export async function completeStructured(
  deps: TaskDeps, x: NodeExecution, model: ResolvedModel, messages: PortChatMessage[], first: PortChatResponse,
  schema: Record<string, unknown>, maxRepairs: number, common: CallCommon, onResponse: (r: PortChatResponse) => void,
): Promise<unknown> {
  let res = first;
  for (let repair = 0; ; repair++) {
    let problems: string[];
    try {
      const value = parseJsonAnswer(res.text);
      problems = schemaErrors(schema, value);
      if (problems.length === 0) return value;
    } catch (err) {
      if (!(err instanceof LlmctlError) || err.code !== 'output_invalid') throw err;
      problems = [err.message];
    }
    if (repair >= maxRepairs) {
      throw new LlmctlError('output_invalid', `the answer of ${x.node.id} does not match its output schema after ${maxRepairs} repair attempt(s): ${problems.join('; ')}`, { problems, node_id: x.node.id }, false);
    }
    messages.push({ role: 'assistant', content: res.text });
    messages.push({ role: 'user', content: `Your answer is not valid: ${problems.join('; ')}. Answer again with only a JSON value that validates against the schema.` });
    res = await callModel(deps, x, model, messages, { ...common, json_schema: schema, kind: 'repair', toolCallsReturned: true, repair_attempt: repair + 1 });
    onResponse(res);
  }
}
