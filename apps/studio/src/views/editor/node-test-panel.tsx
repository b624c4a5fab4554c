/**
 * The inspector's "Test" tab: runs this node once (as edited, saved or not) on a sample input with the chosen model
 * through `POST /api/node-tests`, and shows the rendered prompt, each model call (raw response, parsed output,
 * repairs, tool calls), usage, latency, routing, or the coded error written for people. No run is created.
 */
import { useState } from 'react';
import type { FlowchartNode } from '@llmctl/contracts';
import { api } from '../../api/http.ts';
import { ApiError } from '../../core/api-envelope.ts';
import { defaultSample, nodeTestBody } from '../../core/node-test.ts';
import { prettyJson } from '../../core/json-text.ts';
import { Field, JsonView, StatusBadge } from '../../ui/common.tsx';
import { ModelPicker } from './config-inputs.tsx';
import { useEditor } from './editor-context.ts';

/** One journaled model call of the report (a run's model_calls row shape). */
interface Call {
  id: string; kind: string; status: string; repair_attempt?: number | null; model_name: string; provider: string;
  request?: { messages?: { role: string; content: string }[] } | null; response?: { text?: string; tool_calls?: unknown[] } | null;
  parsed_output?: unknown; usage?: { input_tokens?: number; output_tokens?: number } | null; latency_ms?: number | null; cost?: number | null;
  error?: { code: string; message: string } | null;
}

/** The report of `POST /api/node-tests`. */
interface Report {
  node_id: string; model: string | null; rendered: { system: string | null; prompt: string | null }; output: unknown;
  routing: { ok: boolean; routing: { matched_connector_ids: string[]; routing_state: string } } | null; warnings: { code: string; message: string }[];
  usage: { input_tokens?: number; output_tokens?: number; model_calls?: number } | null; model_calls: Call[]; tool_calls: unknown[]; latency_ms: number;
}

type Outcome = { ok: true; report: Report } | { ok: false; code: string; message: string; report: Report | null };

function Text({ value, testid }: { value: string; testid: string }) {
  return <pre className="json prompt-text" data-testid={testid}>{value}</pre>;
}

function CallView({ call }: { call: Call }) {
  const label = call.kind === 'repair' ? `repair ${call.repair_attempt ?? ''}` : call.kind === 'agent_step' ? 'agent step' : 'call';
  return (
    <div className="model-call" data-testid="node-test-call" data-kind={call.kind} data-status={call.status}>
      <div className="row">
        <b>{label}</b> <StatusBadge status={call.status} /> <span>{call.model_name}</span> <span className="muted">({call.provider})</span>
        <span className="muted">{call.latency_ms ?? '—'} ms</span>
        <span className="muted">{call.usage ? `${call.usage.input_tokens ?? 0} in / ${call.usage.output_tokens ?? 0} out tokens` : 'no usage'}</span>
      </div>
      {call.error && <div className="err-text">{call.error.code}: {call.error.message}</div>}
      {call.response && <><span className="field-label">Raw response</span><Text value={call.response.text || '(no text)'} testid="node-test-raw" /></>}
      {(call.response?.tool_calls?.length ?? 0) > 0 && <><span className="field-label">Tool calls requested</span><JsonView value={call.response?.tool_calls} testid="node-test-tool-calls" /></>}
      {call.parsed_output != null && <><span className="field-label">Parsed / validation</span><JsonView value={call.parsed_output} testid="node-test-parsed" /></>}
    </div>
  );
}

function ReportView({ report }: { report: Report }) {
  return (
    <>
      {report.rendered.system !== null && <><span className="field-label">System prompt (rendered)</span><Text value={report.rendered.system} testid="node-test-system" /></>}
      {report.rendered.prompt !== null && <><span className="field-label">User prompt (rendered)</span><Text value={report.rendered.prompt} testid="node-test-prompt" /></>}
      {report.model_calls.map((c) => <CallView key={c.id} call={c} />)}
      {report.warnings.length > 0 && <ul className="small">{report.warnings.map((w, i) => <li key={i}>{w.code}: {w.message}</li>)}</ul>}
    </>
  );
}

/** The Test tab of one node. */
export function NodeTestPanel({ node }: { node: FlowchartNode }) {
  const { graph } = useEditor();
  const [text, setText] = useState(() => prettyJson(defaultSample(graph, node.id)));
  const [model, setModel] = useState(typeof node.config?.model === 'string' ? node.config.model : '');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  let sample: unknown;
  let parseError: string | null = null;
  try {
    sample = JSON.parse(text);
    if (!sample || typeof sample !== 'object' || Array.isArray(sample)) parseError = 'The sample is a JSON object { input, upstream, context }.';
  } catch (e) {
    parseError = `Not valid JSON: ${(e as Error).message}`;
  }
  const usesModel = node.type === 'task' || (node.type === 'decision' && node.config?.mode === 'llm_guided');
  const run = async (): Promise<void> => {
    setRunning(true);
    setOutcome(null);
    try {
      const r = await api<Report>('POST', '/api/node-tests', nodeTestBody(graph, node.id, sample, usesModel && model ? model : null));
      setOutcome({ ok: true, report: r.data });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('network_error', String(e), 0, null);
      setOutcome({ ok: false, code: err.code, message: err.message, report: (err.details.test as Report | undefined) ?? null });
    } finally {
      setRunning(false);
    }
  };
  const report = outcome?.report ?? null;
  return (
    <div className="node-test" data-testid="node-test" data-state={running ? 'running' : outcome ? (outcome.ok ? 'succeeded' : 'failed') : 'idle'}>
      <p className="muted small">Runs this node once, as edited (saved or not), on the sample below. No run is created.</p>
      {usesModel && (
        <Field label="Model">
          <ModelPicker value={model} onChange={setModel} testid="node-test-model" />
        </Field>
      )}
      <Field label="Sample (input, upstream.<id>, context.<id>)" error={parseError}>
        <textarea rows={8} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} data-testid="node-test-sample" />
      </Field>
      <div className="row">
        <button className="btn primary small" disabled={running || parseError !== null} onClick={() => void run()} data-testid="node-test-run">
          {running ? 'Testing…' : 'Test this node'}
        </button>
        <button className="btn small" onClick={() => setText(prettyJson(defaultSample(graph, node.id)))} data-testid="node-test-reset">Reset sample</button>
      </div>
      {outcome && !outcome.ok && (
        <div className="error-box" data-testid="node-test-error" data-code={outcome.code}>
          <b>{outcome.code}</b>: {outcome.message}
        </div>
      )}
      {outcome?.ok && (
        <div className="row" data-testid="node-test-summary">
          <StatusBadge status="succeeded" /> <span data-testid="node-test-latency">{outcome.report.latency_ms} ms</span>
          {outcome.report.usage && <span className="muted" data-testid="node-test-usage">{outcome.report.usage.input_tokens ?? 0} in / {outcome.report.usage.output_tokens ?? 0} out tokens, {outcome.report.usage.model_calls ?? 0} call(s)</span>}
        </div>
      )}
      {outcome?.ok && (
        <>
          <span className="field-label">Output</span>
          <JsonView value={outcome.report.output} testid="node-test-output" />
          {outcome.report.routing && (
            <div className="small" data-testid="node-test-routing">
              Routing: {outcome.report.routing.routing.routing_state}
              {outcome.report.routing.routing.matched_connector_ids.length > 0 && ` → ${outcome.report.routing.routing.matched_connector_ids.join(', ')}`}
            </div>
          )}
        </>
      )}
      {report && <ReportView report={report} />}
    </div>
  );
}
