import { createHash } from 'node:crypto';
import { LlmctlError, isRunEndStatus, type ChildRunEndStatus, type ErrorInfo } from '@llmctl/contracts';
import { renderTemplate, subflow } from '@llmctl/engine';
import type { Orchestrator } from '../orchestrator.ts';
import type { RunQueries } from '../ports.ts';
import type { NodeHandler, NodeResult } from './node-handler.ts';
import { missingWarnings } from './builtin-handlers.ts';
import { retryWhileUnreachable } from '../store-retry.ts';

/** The child run id of a node run: derived from its idempotency key, so a re-executed node run never starts a second child. */
export function childRunId(nodeRunKey: string): string {
  return `run_${createHash('sha256').update(nodeRunKey).digest('hex').slice(0, 26)}`;
}


/** A finished run's result, as the wait hands it back. */
export interface FinishedRun {
  status: ChildRunEndStatus;
  output: unknown;
  error: ErrorInfo | null;
}

/**
 * `flowchart` node: runs another flowchart as a child run; with `wait` (default) it finishes with the child's outcome.
 * The wait polls nothing: the child's terminal commit wakes it (see {@link waitForRun}). The parent's log records the
 * child: `subflow.child_started` once it exists and, with `wait`, `subflow.child_finished` before the node's own
 * outcome. Both are decided on the parent's folded state, so a node run executed again (takeover) that finds the
 * same child records neither twice.
 */
export function subflowHandler(orch: () => Orchestrator): NodeHandler {
  return async (x): Promise<NodeResult> => {
    const cfg = x.node.config ?? {};
    if (typeof cfg.flowchart_id !== 'string') throw new LlmctlError('node_config_invalid', `flowchart node ${x.node.id} needs config.flowchart_id`);
    const o = orch();
    let value = x.triggering;
    if (cfg.input !== undefined) {
      const r = renderTemplate(cfg.input, x.scope);
      missingWarnings(x, r.missing);
      value = r.value;
    }
    const id = childRunId(x.nodeRun.idempotency_key);
    const existing = await o.store.getRunResult(id);
    if (!existing) {
      try {
        await o.startRun(cfg.flowchart_id, { input: value, parent_run_id: x.run.id, parent_node_run_id: x.nodeRun.id, runId: id }, { request_id: x.run.request_id, correlation_id: x.run.correlation_id });
      } catch (err) {
        if (err instanceof LlmctlError && err.code === 'not_found') throw new LlmctlError('flowchart_not_found', `flowchart ${cfg.flowchart_id} not found`, { flowchart_id: cfg.flowchart_id });
        throw err;
      }
    }
    const child = { child_run_id: id, flowchart_id: cfg.flowchart_id };
    await x.record?.((s, now) => subflow.childStarted(s, x.nodeRun.id, child, now));
    if (cfg.wait === false) return { output: { child_run_id: id } };
    const result = await waitForRun(o, o.store, id, x.signal);
    await x.record?.((s, now) => subflow.childFinished(s, x.nodeRun.id, { ...child, status: result.status, error: result.error }, now));
    if (result.status !== 'succeeded') {
      throw new LlmctlError('subflow_failed', `child run ${id} ended ${result.status}${result.error ? `: ${result.error.message}` : ''}`, { child_run_id: id, child_error: result.error }, false);
    }
    return { output: result.output };
  };
}

/**
 * Resolves when the run is terminal. It reads the run once when it starts (a parent taken over after its child
 * finished completes at once) and again only when woken: by the child's commits on this process's bus, by the
 * host's cross-process signals (`orchestrator.signals`, fed from LISTEN/NOTIFY) or by their reconnect. No timer.
 */
export function waitForRun(o: Pick<Orchestrator, 'bus' | 'signals'>, queries: RunQueries, runId: string, signal: AbortSignal) {
  return new Promise<FinishedRun>((resolve, reject) => {
    let done = false;
    let reading = false;
    let again = false;
    // One read at a time; a wake-up during a read asks for one more read after it (no signal is lost, none piles up).
    const check = async (): Promise<void> => {
      if (done) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const r = await retryWhileUnreachable(() => queries.getRunResult(runId), { signal });
          if (r && isRunEndStatus(r.status) && !done) {
            finish();
            resolve({ status: r.status as ChildRunEndStatus, output: r.output, error: r.error });
          }
        } while (again && !done);
      } catch (err) {
        if (!done) {
          finish();
          reject(err);
        }
      } finally {
        reading = false;
      }
    };
    const offBus = o.bus.onEvent((e) => {
      if (e.run_id === runId && e.event_type === 'flowchart:run:updated') void check();
    });
    const offSignals = o.signals.onSignal((s) => {
      if (s.kind === 'reconnected' || s.run_id === runId) void check();
    });
    const onAbort = (): void => {
      finish();
      reject(signal.reason ?? new LlmctlError('interrupted', 'aborted'));
    };
    signal.addEventListener('abort', onAbort);
    function finish(): void {
      done = true;
      offBus();
      offSignals();
      signal.removeEventListener('abort', onAbort);
    }
    void check();
  });
}
