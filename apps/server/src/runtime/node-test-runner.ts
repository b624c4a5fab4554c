/**
 * "Test this node": runs ONE node of a (possibly unsaved) flowchart on a sample input through the runtime's own node
 * executor (`inlineExecutor` over `taskHandler` / `decisionHandler` / `endHandler`, then the run actor's routing
 * functions), the way the Kubernetes executor entrypoint runs an attempt: nothing is written to the database. Model
 * calls are journaled into an in-memory log (the same records a run keeps in `model_calls`) and returned.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, LlmctlError, isErrorCode, type FlowchartDocument, type FlowchartEdge, type FlowchartNode, type Warning } from '@llmctl/contracts';
import { compileGraph, conditionsToEvaluate, selectRouting, validateFlowchart, type NodeRunState, type RoutingOutcome, type TemplateScope } from '@llmctl/engine';
import {
  decisionHandler, endHandler, evaluateConditions, inlineExecutor, taskHandler, toErrorInfo,
  type ModelCallLog, type ModelCallRecord, type ModelGateway, type NodeExecution, type NodeHandlers, type NodeResult,
} from '@llmctl/runtime';
import { redactText } from '@llmctl/providers';

/** Node types "test this node" runs (others change stored state or start runs: run the flowchart instead). */
export const TESTABLE_NODE_TYPES = ['task', 'decision', 'end'] as const;

/** The sample a node is tested with: the template scope's `input`, `upstream.<id>` and `context.<id>`. */
export interface NodeTestSample {
  input?: unknown;
  upstream?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** A node test request (the body of `POST /api/node-tests`, checked). */
export interface NodeTestRequest {
  node: FlowchartNode;
  /** The connectors leaving the node (routing is evaluated over them; an llm_guided decision chooses among their keys). */
  edges: FlowchartEdge[];
  sample: NodeTestSample;
  /** A model name used instead of the node's `config.model`. */
  model?: string;
}

/** What a node test reports, success or failure (on failure it travels in the error's `details.test`). */
export interface NodeTestReport {
  node_id: string;
  node_type: string;
  model: string | null;
  /** The rendered system and user prompt of the first model call (null when no model was called). */
  rendered: { system: string | null; prompt: string | null };
  output: unknown;
  routing: RoutingOutcome | null;
  warnings: Warning[];
  usage: Record<string, unknown> | null;
  /** Every model call, in order, as the run journal records it (request, raw response, parsed output, repairs). */
  model_calls: ModelCallRecord[];
  /** The tool calls the model asked for (from the journaled responses). */
  tool_calls: { call_index: number; name: string; arguments: unknown }[];
  latency_ms: number;
}

/** A failed node test: the coded error, with a sentence for people and the partial report. */
export class NodeTestFailure extends LlmctlError {}

const PEOPLE: Record<string, string> = {
  model_unknown: 'No model with that name is registered. Pick a model in the node test or add it on the Models page.',
  node_config_invalid: 'The node is not complete yet: a task needs a model and a prompt.',
  scripted_no_response: 'The scripted model has no response for this prompt. Add a response whose "match" occurs in the rendered prompt (or one without "match").',
  output_invalid: 'The model\'s answer does not match the output schema, even after the repair attempts. The model calls below show each answer and what was wrong.',
  provider_auth: 'The provider rejected the credentials. Set the provider key on the Models page.',
  provider_unavailable: 'The provider could not be reached or answered with a server error. Try again later.',
  provider_timeout: 'The provider did not answer in time.',
  provider_rate_limited: 'The provider is rate limiting requests. Try again in a moment.',
  provider_bad_request: 'The provider rejected the request.',
  tool_unknown: 'The model asked for a tool that this node does not offer.',
};

function newId(prefix: string): string {
  return `${prefix}_test${randomBytes(8).toString('hex')}`;
}

/** An in-memory model-call journal (the scripted provider counts its earlier answers in it, as in a run). */
function memoryCallLog(calls: ModelCallRecord[]): ModelCallLog {
  return {
    record: (c) => Promise.resolve(void calls.push(c)),
    countScripted: (model, _run, nodeId, idx) => Promise.resolve(calls.filter((c) => c.model_name === model && c.node_id === nodeId && c.response_index === idx).length),
  };
}

/** The one-node document a test compiles: a start node, the tested node and the connectors leaving it. */
function testDocument(node: FlowchartNode, edges: FlowchartEdge[]): FlowchartDocument {
  const start: FlowchartNode = { id: node.id === '__test_start' ? '__test_start2' : '__test_start', type: 'start' };
  return { schema_version: 1, name: 'node test', nodes: [start, node], edges: edges.filter((e) => e.source === node.id) };
}

function nodeRunOf(node: FlowchartNode, runId: string): NodeRunState {
  return {
    id: newId('nr'), node_id: node.id, node_type: node.type, iteration: 1, status: 'running', tokens: [], idempotency_key: `${runId}:${node.id}:1`,
    retry_of: null, rewound_from: null, queued_seq: 0, created_order: 0, started_seq: 0, done_seq: null, context: null, output: null, routing: null,
    error: null, outcome: null, fallback_used: false, degraded_reason: null, warnings: [], attempts: [], usage: null, started_at: new Date().toISOString(), finished_at: null,
  };
}

/** The triggering output: the only upstream output when there is exactly one, else the sample input. */
function triggeringOf(sample: NodeTestSample): unknown {
  const ups = Object.values(sample.upstream ?? {});
  return ups.length === 1 ? ups[0] : (sample.input ?? {});
}

function renderedOf(calls: ModelCallRecord[]): NodeTestReport['rendered'] {
  const messages = calls[0]?.request?.messages ?? [];
  return { system: messages.find((m) => m.role === 'system')?.content ?? null, prompt: messages.find((m) => m.role === 'user')?.content ?? null };
}

function toolCallsOf(calls: ModelCallRecord[]): NodeTestReport['tool_calls'] {
  const out: NodeTestReport['tool_calls'] = [];
  for (const c of calls) for (const t of c.response?.tool_calls ?? []) out.push({ call_index: out.length, name: t.name, arguments: t.arguments });
  return out;
}

/** The sentence a failed test shows: the code's explanation for people, then what the runtime said. */
export function peopleMessage(code: string, message: string): string {
  const lead = PEOPLE[code];
  return lead ? `${lead} (${redactText(message)})` : redactText(message);
}

/**
 * Runs the tested node once and reports it; throws {@link NodeTestFailure} (the node's coded error, message for
 * people, `details.test` = the report so far) when the attempt fails. A template path the sample does not provide is
 * `template_unresolved` before any model is called: a test that silently sends `""` would not show what it tests.
 */
export async function runNodeTest(models: ModelGateway, req: NodeTestRequest, signal: AbortSignal): Promise<NodeTestReport> {
  const node: FlowchartNode = req.model !== undefined ? { ...req.node, config: { ...(req.node.config ?? {}), model: req.model } } : req.node;
  if (!(TESTABLE_NODE_TYPES as readonly string[]).includes(node.type)) {
    throw new LlmctlError('node_type_unsupported', `"Test this node" runs ${TESTABLE_NODE_TYPES.join(', ')} nodes; a ${node.type} node changes stored state or starts runs, so run the flowchart to try it.`, { node_type: node.type });
  }
  for (const [key, v] of Object.entries(node.config ?? {})) {
    if (typeof v === 'string' && v.replace(/\{\{[^{}]*?\}\}/g, '').includes('{{')) {
      throw new LlmctlError('template_unresolved', `The ${key} has a "{{" without its closing "}}". Close it (e.g. {{input.topic}}); nothing was sent to the model.`, { field: key });
    }
  }
  const doc = testDocument(node, req.edges);
  // The rules a save applies to this node and its connectors (a run never sees a node that breaks them); the one-node
  // document's own structural findings (no end, dangling targets) are not the node's problems.
  const problems = validateFlowchart(doc).errors.filter((e) => (e.code === 'schema_invalid' || e.code === 'condition_invalid') && /^\/(nodes\/1|edges\/)/.test(e.path ?? ''));
  if (problems.length > 0) {
    throw new LlmctlError('flowchart_invalid', `The node is not valid yet, so it was not run: ${problems.map((p) => p.message).join('; ')}`, { errors: problems });
  }
  const graph = compileGraph(doc, DEFAULT_SETTINGS);
  const runId = newId('run');
  const calls: ModelCallRecord[] = [];
  // Everything reported passes the redactor of each model resolved (its secrets: keys, auth headers), the output too.
  const redactors: (<T>(v: T) => T)[] = [];
  const gateway: ModelGateway = {
    async resolve(name) {
      const m = await models.resolve(name);
      if (m?.redact) redactors.push(m.redact);
      return m;
    },
  };
  const clean = <T,>(v: T): T => redactors.reduce((acc, r) => r(acc), v);
  const deps = { models: gateway, calls: memoryCallLog(calls), newId };
  const handlers: NodeHandlers = { task: taskHandler(deps), decision: decisionHandler(deps), end: endHandler };
  const warnings: Warning[] = [];
  const missing: string[] = [];
  const nodeRun = nodeRunOf(node, runId);
  const scope: TemplateScope = {
    input: req.sample.input ?? {}, upstream: req.sample.upstream ?? {}, context: req.sample.context ?? {},
    node: { id: node.id, iteration: 1 }, run: { id: runId, started_at: nodeRun.started_at },
  };
  const x: NodeExecution = {
    run: { id: runId, flowchart_id: 'node-test', flowchart_version: 0, input: scope.input, started_at: nodeRun.started_at, correlation_id: null, request_id: null },
    graph, node, nodeRun, scope, triggering: triggeringOf(req.sample), attempt: 1, signal,
    emitToken: () => undefined,
    warn: (w) => {
      const path = /template path "([^"]*)"/.exec(w.message)?.[1];
      if (w.code === 'template_path_missing' && path !== undefined) {
        missing.push(path);
        // Thrown before the model call: the handlers render every template first.
        throw new LlmctlError('template_unresolved', `The template reads {{${path}}}, but the sample has no ${path}. Add it to the sample input (or fix the reference); nothing was sent to the model.`, { missing: [path] });
      }
      warnings.push(w);
    },
  };
  const t0 = performance.now();
  const report = (output: unknown, r: NodeResult | null, routing: RoutingOutcome | null): NodeTestReport => ({
    node_id: node.id, node_type: node.type, model: typeof node.config?.model === 'string' ? node.config.model : null,
    rendered: renderedOf(calls), output, routing, warnings: [...warnings, ...(r?.warnings ?? [])], usage: r?.usage ?? null,
    model_calls: calls, tool_calls: toolCallsOf(calls), latency_ms: Math.round(performance.now() - t0),
  });
  let result: NodeResult;
  try {
    result = await inlineExecutor(handlers).execute(x);
  } catch (err) {
    const e = toErrorInfo(err);
    throw new NodeTestFailure(isErrorCode(e.code) ? e.code : 'internal', clean(peopleMessage(e.code, e.message)), clean({ ...e.details, cause: { code: e.code, message: redactText(e.message) }, test: report(null, null, null) }), e.retryable);
  }
  const list = conditionsToEvaluate(graph, node.id);
  const condScope = { output: result.output, input: scope.input, context: scope.context, upstream: scope.upstream, node: scope.node, run: scope.run };
  const routing = selectRouting(graph, node.id, list.length > 0 ? await evaluateConditions(list, condScope) : [], result.choice);
  return clean(report(result.output ?? null, result, routing));
}
