/**
 * The "Model calls" tab of a node run: per attempt, every model call from the durable journal (`GET /api/runs/:id/trace`
 * model-call spans) — rendered system and user prompt, model and provider, request settings, raw response, tool calls
 * with input and result, parsed output, repairs, usage, latency, cost — and the streamed text while the node runs.
 */
import { useQuery } from '@tanstack/react-query';
import type { NodeRun } from '@llmctl/contracts';
import { apiGet } from '../../api/http.ts';
import { formatTime } from '../../core/format.ts';
import { ErrorBox, JsonView, Loading, StatusBadge } from '../../ui/common.tsx';

/** A span of `GET /api/runs/:id/trace`. */
export interface TraceSpan {
  span_id: string;
  kind: 'run' | 'node_run' | 'attempt' | 'model_call' | 'tool_call';
  name: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  attributes: Record<string, any>;
  error: { code: string; message: string } | null;
  children: TraceSpan[];
}

interface Msg { role: string; content: string; content_length?: number; tool_call_id?: string; tool_calls?: { id: string; name: string; arguments: unknown }[] }

/** The run's trace, refetched when the node run's state changes (so finished calls appear without a reload). */
function useTrace(runId: string, stamp: string) {
  return useQuery({
    queryKey: ['trace', runId, stamp],
    queryFn: ({ signal }) => apiGet<TraceSpan>(`/api/runs/${encodeURIComponent(runId)}/trace`, signal),
    placeholderData: (prev) => prev,
  });
}

function Text({ value, testid }: { value: string; testid?: string }) {
  return <pre className="json prompt-text" data-testid={testid}>{value}</pre>;
}

function ModelCall({ span }: { span: TraceSpan }) {
  const a = span.attributes;
  const messages: Msg[] = a.request?.messages ?? [];
  const system = messages.find((m) => m.role === 'system');
  const user = messages.find((m) => m.role === 'user');
  const later = messages.slice(messages.indexOf(user ?? messages[0]!) + 1);
  const usage = a.usage as { input_tokens?: number; output_tokens?: number } | null;
  const label = a.kind === 'repair' ? `repair ${a.repair_attempt ?? ''}` : a.kind === 'agent_step' ? `agent step ${a.step ?? ''}` : 'call';
  return (
    <div className="model-call" data-testid="model-call" data-kind={a.kind} data-status={span.status}>
      <div className="row">
        <b>{label}</b> <StatusBadge status={span.status} />
        <span data-testid="model-call-model">{a.model}</span> <span className="muted" data-testid="model-call-provider">({a.provider})</span>
        <span className="muted" data-testid="model-call-latency">{a.latency_ms ?? '—'} ms</span>
        <span className="muted" data-testid="model-call-usage">{usage ? `${usage.input_tokens ?? 0} in / ${usage.output_tokens ?? 0} out tokens` : 'no usage'}</span>
        <span className="muted" data-testid="model-call-cost">{typeof a.cost === 'number' ? `cost ${a.cost}` : 'cost not reported'}</span>
      </div>
      {a.replayed_from && <div className="muted small">Replayed from the journal ({a.replayed_from}): the model was not called again.</div>}
      {span.error && <div className="err-text">{span.error.code}: {span.error.message}</div>}
      {system && <><span className="field-label">System prompt</span><Text value={system.content} testid="model-call-system" /></>}
      {user && <><span className="field-label">User prompt</span><Text value={user.content} testid="model-call-user" /></>}
      {later.length > 0 && (
        <details>
          <summary>{later.length} later message(s) of the conversation</summary>
          {later.map((m, i) => <div key={i}><span className="muted">{m.role}</span><Text value={m.content || JSON.stringify(m.tool_calls ?? [])} /></div>)}
        </details>
      )}
      <details>
        <summary>Request settings</summary>
        <JsonView value={a.request?.settings} testid="model-call-settings" />
      </details>
      {a.response && (
        <>
          <span className="field-label">Raw response</span>
          <Text value={a.response.text || '(no text)'} testid="model-call-response" />
          {a.response.tool_calls?.length > 0 && (
            <>
              <span className="field-label">Tool calls requested</span>
              <JsonView value={a.response.tool_calls} testid="model-call-tool-requests" />
            </>
          )}
        </>
      )}
      {a.parsed_output && (
        <>
          <span className="field-label">Parsed output</span>
          <JsonView value={a.parsed_output} testid="model-call-parsed" />
        </>
      )}
    </div>
  );
}

function ToolCall({ span }: { span: TraceSpan }) {
  return (
    <div className="tool-call" data-testid="tool-call" data-tool={span.attributes.tool}>
      <div className="row"><b>tool {span.attributes.tool}</b> <StatusBadge status={span.status} /></div>
      <span className="field-label">Input</span>
      <JsonView value={span.attributes.input} testid="tool-call-input" />
      <span className="field-label">Result</span>
      <JsonView value={span.attributes.result} testid="tool-call-result" />
    </div>
  );
}

/** Props of {@link ModelCallsTab}. */
export interface ModelCallsTabProps {
  runId: string;
  nr: NodeRun;
  /** Text streamed so far (live token events). */
  tokens: string | undefined;
}

/** Every model call of a node run, per attempt, from the durable records. */
export function ModelCallsTab({ runId, nr, tokens }: ModelCallsTabProps) {
  const stamp = `${nr.id}:${nr.status}:${nr.attempts?.length ?? 0}:${nr.finished_at ?? ''}`;
  const trace = useTrace(runId, stamp);
  const running = nr.status === 'running';
  if (trace.isError) return <ErrorBox error={trace.error} compact />;
  if (!trace.data) return <Loading />;
  const node = trace.data.children.find((c) => c.span_id === nr.id);
  const attempts = (node?.children ?? []).filter((c) => c.kind === 'attempt');
  return (
    <div data-testid="model-calls">
      {running && (
        <div data-testid="model-calls-streaming">
          <span className="field-label">Streaming</span>
          <pre className="token-stream" data-streaming>{tokens ?? 'waiting for tokens…'}<span className="caret">▍</span></pre>
        </div>
      )}
      {attempts.length === 0 && <div className="muted">No model call recorded yet.</div>}
      {attempts.map((at) => {
        const calls = at.children.filter((c) => c.kind === 'model_call' || c.kind === 'tool_call')
          .sort((x, y) => Date.parse(x.started_at ?? '') - Date.parse(y.started_at ?? ''));
        return (
          <section key={at.span_id} className="attempt-calls" data-testid="attempt-calls" data-attempt={at.attributes.n}>
            <h4>
              {at.name} <span className="muted">{formatTime(at.started_at)}</span>
              {at.error && <span className={at.error.code === 'interrupted' ? 'muted' : 'err-text'}> — {at.error.code === 'interrupted' ? 'interrupted' : `${at.error.code}: ${at.error.message}`}</span>}
            </h4>
            {calls.length === 0 && <div className="muted">No model call in this attempt.</div>}
            {calls.map((c) => (c.kind === 'model_call' ? <ModelCall key={c.span_id} span={c} /> : <ToolCall key={c.span_id} span={c} />))}
          </section>
        );
      })}
    </div>
  );
}
