import { redactSecrets } from '@llmctl/providers';
import type { TraceRows } from '@llmctl/store';

/** One span of a run trace. */
export interface Span {
  span_id: string;
  parent_span_id: string | null;
  kind: 'run' | 'node_run' | 'attempt' | 'model_call' | 'tool_call';
  name: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  attributes: Record<string, unknown>;
  error: unknown;
  children: Span[];
}

function duration(a: string | null, b: string | null): number | null {
  return a && b ? Math.max(0, Date.parse(b) - Date.parse(a)) : null;
}

function span(p: Omit<Span, 'duration_ms' | 'children'>): Span {
  return { ...p, duration_ms: duration(p.started_at, p.finished_at), children: [] };
}

/**
 * Builds the span tree run → node runs → attempts → model calls / tool calls from the stored rows. Model-call spans
 * carry the journal (request messages and settings, raw response, tool calls, parsed output, usage, latency, cost);
 * tool-call spans their input and result; both pass the provider redactor once more.
 */
export function buildTrace(rows: TraceRows): Span | null {
  if (!rows.run) return null;
  const r = rows.run;
  const root = span({
    span_id: r.id, parent_span_id: null, kind: 'run', name: `run ${r.id}`, status: r.status, started_at: r.started_at ?? r.created_at,
    finished_at: r.finished_at, attributes: { flowchart_id: r.flowchart_id, flowchart_version: r.flowchart_version, correlation_id: r.correlation_id }, error: r.error,
  });
  for (const nr of rows.node_runs) {
    if (!nr.started_at) continue;
    const ns = span({
      span_id: nr.id, parent_span_id: r.id, kind: 'node_run', name: `${nr.node_type} ${nr.node_id} #${nr.iteration}`, status: nr.status,
      started_at: nr.started_at, finished_at: nr.finished_at,
      attributes: { node_id: nr.node_id, node_type: nr.node_type, iteration: nr.iteration, outcome: nr.outcome, idempotency_key: nr.idempotency_key, retry_of: nr.retry_of, rewound_from: nr.rewound_from, usage: nr.usage, executor: nr.executor ?? null },
      error: nr.error,
    });
    root.children.push(ns);
    const attempts = nr.attempts.map((a, i) => {
      const s = span({
        span_id: `${nr.id}:attempt:${i + 1}`, parent_span_id: nr.id, kind: 'attempt', name: `attempt ${a.n}`,
        status: a.error ? 'failed' : a.finished_at ? 'succeeded' : 'running', started_at: a.started_at, finished_at: a.finished_at, attributes: { n: a.n, executor: a.executor ?? null }, error: a.error,
      });
      ns.children.push(s);
      return { a, s };
    });
    const attemptAt = (n: number | null, at: string): Span => {
      const byN = n === null ? undefined : [...attempts].reverse().find((x) => x.a.n === n && Date.parse(x.a.started_at) <= Date.parse(at) + 1);
      const byTime = [...attempts].reverse().find((x) => Date.parse(x.a.started_at) <= Date.parse(at) + 1);
      return (byN ?? byTime)?.s ?? ns;
    };
    for (const mc of rows.model_calls.filter((m) => m.node_run_id === nr.id)) {
      const parent = attemptAt(mc.attempt, mc.started_at);
      parent.children.push(span({
        span_id: mc.id, parent_span_id: parent.span_id, kind: 'model_call', name: `${mc.kind} ${mc.model_name}`, status: mc.status,
        started_at: mc.started_at, finished_at: mc.finished_at, error: mc.error,
        attributes: redactSecrets({
          model: mc.model_name, provider: mc.provider, kind: mc.kind, usage: mc.usage, attempt: mc.attempt, step: mc.step, repair_attempt: mc.repair_attempt,
          idempotency_key: mc.idempotency_key, request: mc.request, response: mc.response, parsed_output: mc.parsed_output,
          latency_ms: mc.latency_ms, cost: mc.cost, replayed_from: mc.replayed_from,
        }),
      }));
    }
    for (const tc of rows.tool_calls.filter((t) => t.node_run_id === nr.id)) {
      const parent = attemptAt(null, tc.started_at);
      parent.children.push(span({
        span_id: tc.idempotency_key, parent_span_id: parent.span_id, kind: 'tool_call', name: `tool ${tc.tool}`, status: tc.status,
        started_at: tc.started_at, finished_at: tc.finished_at, attributes: redactSecrets({ tool: tc.tool, idempotency_key: tc.idempotency_key, attempts: tc.attempts, input: tc.input, result: tc.result }), error: null,
      }));
    }
  }
  return root;
}
