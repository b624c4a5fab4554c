import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, EXECUTOR_STARTED_MARKER, LlmctlError, type FlowchartDocument, type Warning } from '@llmctl/contracts';
import { compileGraph } from '@llmctl/engine';
import { createProvider, type ProviderKind } from '@llmctl/providers';
import type { ModelCallLog, ModelCallRecord, ModelGateway, NodeHandlers } from '@llmctl/runtime';
import { decisionHandler, endHandler, inlineExecutor, startHandler, taskHandler, toErrorInfo } from '@llmctl/runtime';
import { fromPayload, toResult, type AttemptPayload } from './attempt-payload.ts';
import { formatResultLine, formatTokenLine, isValidResult } from './result-line.ts';
import { LocalVllmServers, isLocalVllm, type LocalVllmOptions } from './local-vllm.ts';

/** A model the attempt may call, with the credentials of its provider (only what this node needs). */
export interface PayloadModel {
  name: string;
  provider: string;
  model: string;
  base_url?: string | null;
  api_key?: string | null;
  settings?: Record<string, unknown> | null;
}

/** The payload file of `llmctl executor run` (a Kubernetes Secret mounted as a file). */
export interface ExecutorPayloadFile {
  v: 1;
  attempt: AttemptPayload;
  flowchart: FlowchartDocument;
  models: PayloadModel[];
}

function invalid(msg: string): LlmctlError {
  return new LlmctlError('payload_invalid', `executor payload: ${msg}`);
}

/** Checks the payload file's shape; throws `payload_invalid`. */
export function checkPayload(v: unknown): ExecutorPayloadFile {
  const o = v as Partial<ExecutorPayloadFile> | null;
  if (!o || typeof o !== 'object') throw invalid('not a JSON object');
  if (o.v !== 1) throw invalid('v must be 1');
  const a = o.attempt as Partial<AttemptPayload> | undefined;
  if (!a || typeof a !== 'object' || typeof a.dispatch_id !== 'string' || typeof a.node_id !== 'string' || !a.node_run || !a.run || typeof a.attempt !== 'number') {
    throw invalid('attempt must carry dispatch_id, node_id, node_run, run and attempt');
  }
  if (!o.flowchart || !Array.isArray(o.flowchart.nodes)) throw invalid('flowchart must be a flowchart document');
  if (!Array.isArray(o.models)) throw invalid('models must be an array');
  return o as ExecutorPayloadFile;
}

/** Node types an executor process can run (no database: tools and special nodes run on the queue or inline). */
const EXECUTOR_HANDLERS = ['start', 'end', 'task', 'decision'];

/**
 * Runs one attempt from a payload file: prints `LLMCTL_EXECUTOR_STARTED`, runs the node handler with the payload's
 * models (printing streamed model text as `LLMCTL_EXECUTOR_TOKEN=` lines), and prints exactly one
 * `LLMCTL_EXECUTOR_RESULT_JSON=` line last. Resolves with the exit code (0 when a
 * result line — success or a coded failure — was printed).
 */
export async function runExecutorPayload(file: string, out: (line: string) => void, signal?: AbortSignal, vllm: LocalVllmOptions = {}): Promise<number> {
  out(EXECUTOR_STARTED_MARKER);
  let dispatchId = 'unknown';
  const calls: ModelCallRecord[] = [];
  const local = new LocalVllmServers(vllm);
  let result: { line: string; code: number };
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw invalid(`cannot read ${file}: ${(err as Error).message}`);
    }
    const p = checkPayload(raw);
    dispatchId = p.attempt.dispatch_id;
    const graph = compileGraph(p.flowchart, DEFAULT_SETTINGS);
    const models: ModelGateway = {
      async resolve(name) {
        const m = p.models.find((x) => x.name === name);
        if (!m) return null;
        // a vllm_local model: vLLM is started here, on loopback, and called over its OpenAI-compatible API
        const baseUrl = isLocalVllm(m) ? await local.baseUrlFor(m.model, signal) : (m.base_url ?? null);
        const kind = (isLocalVllm(m) ? 'vllm' : m.provider) as ProviderKind;
        const provider = createProvider({ provider: kind, base_url: baseUrl, api_key: m.api_key ?? null, settings: m.settings ?? {} });
        return { name: m.name, provider: m.provider, model: m.model, chat: (req, opts) => provider.chat(req, opts) };
      },
    };
    const log: ModelCallLog = {
      record: (c) => Promise.resolve(void calls.push(c)),
      countScripted: (model, _run, nodeId, idx) => Promise.resolve(calls.filter((c) => c.model_name === model && c.node_id === nodeId && c.response_index === idx).length),
    };
    const deps = { models, calls: log, newId: (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}` };
    const all: NodeHandlers = { start: startHandler, end: endHandler, task: taskHandler(deps), decision: decisionHandler(deps) };
    const handlers = Object.fromEntries(Object.entries(all).filter(([k]) => EXECUTOR_HANDLERS.includes(k)));
    const warnings: Warning[] = [];
    const x = fromPayload(p.attempt, graph, signal ?? new AbortController().signal, warnings);
    // streamed model text: one token line per delta, all before the result line
    let seq = 0;
    x.emitToken = (delta) => {
      if (delta) out(formatTokenLine(seq++, delta));
    };
    const r = await inlineExecutor(handlers).execute(x);
    const line = { v: 1 as const, ok: true, dispatch_id: dispatchId, result: toResult(r, warnings), model_calls: calls as unknown as Record<string, unknown>[] };
    if (!isValidResult(line)) throw new LlmctlError('result_invalid', 'the node result does not match the executor result contract');
    result = { line: formatResultLine(line), code: 0 };
  } catch (err) {
    const e = toErrorInfo(err);
    result = { line: formatResultLine({ v: 1, ok: false, dispatch_id: dispatchId, error: e, model_calls: calls as unknown as Record<string, unknown>[] }), code: e.code === 'payload_invalid' ? 2 : 0 };
  }
  // vLLM servers started here stop before the result line, so that line is the last one
  await local.stopAll();
  out(result.line);
  return result.code;
}