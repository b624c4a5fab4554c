/**
 * `invokeTool`: the one way to run a tool. Validates input, replays a recorded result for a known idempotency key,
 * runs with timeout and retries, validates output, persists artifacts, records the result, audits and traces.
 */
import type { ErrorInfo, Warning } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import { isDeepStrictEqual } from 'node:util';
import { runAttempts } from './attempt-runner.ts';
import { violationsOf } from './json-schema.ts';
import type { ToolAuditStatus } from './ports.ts';
import type { ToolRegistry } from './tool-registry.ts';
import type { ToolInvocationContext, ToolResult } from './types.ts';

/** Warning added to a replayed result when the new input differs from the recorded one. */
export const REPLAY_INPUT_CHANGED = 'tool_replay_input_changed';

/** Default media type of artifacts that do not name one. */
export const DEFAULT_ARTIFACT_MEDIA_TYPE = 'application/json';

/** The deterministic id of the `index`-th artifact of a tool call. */
export function artifactId(idempotency_key: string, index: number): string {
  return `${idempotency_key}:artifact:${index}`;
}

function failedResult(key: string, error: LlmctlError, warnings: Warning[] = []): ToolResult {
  return { status: 'failed', output: null, fallback_used: false, warnings, error: error.toInfo(), idempotency_key: key, artifacts: [] };
}

/**
 * Invokes the tool `name`. Every tool-level outcome (unknown tool, invalid input, failure, timeout, cancellation,
 * invalid output) is a `failed` result, never a throw; it rejects only when a port (ledger, artifact sink, audit
 * sink) fails. A key whose call succeeded before returns the recorded result without running the tool; failed or
 * interrupted calls run again. Artifacts are persisted (idempotently, by deterministic id) before the result is
 * recorded, so a recorded result always refers to persisted artifacts.
 */
export async function invokeTool(
  registry: ToolRegistry,
  name: string,
  input: unknown,
  ctx: ToolInvocationContext,
): Promise<ToolResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const key = ctx.idempotency_key;
  let attempts = 0;

  const finish = async (result: ToolResult, status: ToolAuditStatus): Promise<ToolResult> => {
    const duration_ms = Math.round(performance.now() - t0);
    const error: ErrorInfo | undefined = result.status === 'failed' ? result.error : undefined;
    await ctx.audit.write({
      tool: name,
      idempotency_key: key,
      correlation_id: ctx.correlation_id,
      request_id: ctx.request_id,
      run_id: ctx.run_id,
      node_run_id: ctx.node_run_id,
      status,
      attempts,
      duration_ms,
      ...(error ? { error } : {}),
      created_at: new Date().toISOString(),
    });
    ctx.tracer?.({
      name: `tool ${name}`,
      kind: 'tool',
      tool: name,
      idempotency_key: key,
      correlation_id: ctx.correlation_id,
      request_id: ctx.request_id,
      run_id: ctx.run_id,
      node_run_id: ctx.node_run_id,
      started_at: startedAt.toISOString(),
      ended_at: new Date().toISOString(),
      duration_ms,
      status,
      attempts,
      ...(error ? { error } : {}),
    });
    return result;
  };

  const tool = registry.get(name);
  if (!tool) {
    return finish(failedResult(key, new LlmctlError('tool_unknown', `No tool named "${name}" is registered`, { tool: name })), 'failed');
  }
  if (!tool.validateInput(input)) {
    const error = new LlmctlError('tool_input_invalid', `Input of tool "${name}" does not match its schema`, {
      tool: name,
      errors: violationsOf(tool.validateInput),
    });
    return finish(failedResult(key, error), 'failed');
  }

  const entry = await ctx.ledger.start({
    idempotency_key: key,
    run_id: ctx.run_id,
    node_run_id: ctx.node_run_id,
    tool: name,
    input,
    correlation_id: ctx.correlation_id,
    request_id: ctx.request_id,
  });
  if (entry.status === 'succeeded' && entry.result) {
    const replay = structuredClone(entry.result);
    if (entry.tool !== name || !isDeepStrictEqual(entry.input, input)) {
      replay.warnings = [
        ...replay.warnings,
        { code: REPLAY_INPUT_CHANGED, message: `The recorded result of ${entry.tool} was reused although the call changed` },
      ];
    }
    return finish(replay, 'replayed');
  }

  const outcome = await runAttempts(
    tool,
    input,
    {
      idempotency_key: key,
      correlation_id: ctx.correlation_id,
      request_id: ctx.request_id,
      run_id: ctx.run_id,
      node_run_id: ctx.node_run_id,
      flowchart_id: ctx.flowchart_id ?? null,
      workspace_dir: ctx.workspace_dir,
    },
    ctx.signal,
  );
  attempts = outcome.attempts;
  if (!outcome.ok) {
    const result = failedResult(key, outcome.error);
    await ctx.ledger.finish(key, { status: 'failed', result, attempts });
    return finish(result, 'failed');
  }

  const drafts = outcome.artifacts.map((a) => ({ ...a, media_type: a.media_type ?? DEFAULT_ARTIFACT_MEDIA_TYPE }));
  for (const [index, draft] of drafts.entries()) {
    await ctx.artifacts.persist({
      ...draft,
      id: artifactId(key, index),
      run_id: ctx.run_id,
      node_run_id: ctx.node_run_id,
      idempotency_key: key,
    });
  }
  const result: ToolResult = {
    status: 'success',
    output: outcome.output,
    fallback_used: false,
    warnings: outcome.warnings,
    idempotency_key: key,
    artifacts: drafts,
  };
  await ctx.ledger.finish(key, { status: 'succeeded', result, attempts });
  return finish(structuredClone(result), 'success');
}
