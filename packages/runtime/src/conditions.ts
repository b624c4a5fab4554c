import jsonata from 'jsonata';
import type { ConditionResult } from '@llmctl/engine';

const TIME_BOX_MS = 100;
const MAX_DEPTH = 200;
/** Evaluations that must all exceed the time box before a condition is reported as timed out. */
const TIMEOUT_CONFIRMATIONS = 3;

/** Parsed expressions are cached: flowchart versions are immutable. */
const cache = new Map<string, jsonata.Expression>();

function compile(expr: string): jsonata.Expression {
  let c = cache.get(expr);
  if (!c) {
    c = jsonata(expr, { timeout: TIME_BOX_MS, stack: MAX_DEPTH } as never);
    if (cache.size > 5000) cache.clear();
    cache.set(expr, c);
  }
  return c;
}

/**
 * Evaluates one JSONata condition with a time box (100 ms) and a depth limit (JSONata's own `timeout` / `stack`
 * guardrails: D1012 / D1011). Errors are returned, never thrown.
 */
export async function evaluateCondition(connectorId: string, expr: string, scope: Record<string, unknown>): Promise<ConditionResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result: unknown = await compile(expr).evaluate(scope);
      return { connector_id: connectorId, result: result === undefined ? null : result };
    } catch (err) {
      // JSONata's time box is wall-clock, and its evaluation is asynchronous: on a loaded machine a trivial condition
      // can be descheduled past 100 ms. A time-out is therefore confirmed by evaluating again; only an expression
      // that exceeds its time box on every try is an error, so a run's routing does not hinge on a load spike.
      if ((err as { code?: string }).code === 'D1012' && attempt < TIMEOUT_CONFIRMATIONS) continue;
      return conditionError(connectorId, err);
    }
  }
}

function conditionError(connectorId: string, err: unknown): ConditionResult {
  const e = err as { code?: string; message?: string; value?: unknown };
  const message = e.message ?? (e.code === 'D1012' ? `condition exceeded its ${TIME_BOX_MS} ms time box` : e.code === 'D1011' ? `condition exceeded the depth limit (${MAX_DEPTH})` : String(e.code ?? err));
  return { connector_id: connectorId, error: { code: e.code ?? 'condition_error', message } };
}

/** Evaluates every listed condition (all before any selection, as runtime.md requires). */
export async function evaluateConditions(list: { connector_id: string; condition: string }[], scope: Record<string, unknown>): Promise<ConditionResult[]> {
  const out: ConditionResult[] = [];
  for (const c of list) out.push(await evaluateCondition(c.connector_id, c.condition, scope));
  return out;
}
