import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { LlmctlError, type ControlRequest, type ErrorCode } from '@llmctl/contracts';
import type { Orchestrator } from '@llmctl/runtime';
import { Listener, clientConfigOf } from '@llmctl/executors';
import { CONTROL_REPLIES_CHANNEL as REPLIES, CONTROL_REQUESTS_CHANNEL as REQUESTS, ControlRequestRepository } from '@llmctl/store';

type Meta = Parameters<Orchestrator['control']>[2];
type Result = Awaited<ReturnType<Orchestrator['control']>>;

/**
 * Control from any replica (executors.md): a control call on a process that does not own the run is written to
 * `control_requests` and announced with NOTIFY; the owner runs it and replies after its commit; the caller answers
 * with that reply (or `unavailable` when no owner answers within `timeoutMs`).
 */
export function installControlRelay(orchestrator: Orchestrator, pool: pg.Pool, timeoutMs = 10_000): { stop(): Promise<void> } {
  const own = orchestrator.control.bind(orchestrator);
  const requests = new ControlRequestRepository(pool);
  const waiting = new Map<string, () => void>();
  const serve = async (id: string): Promise<void> => {
    const pending = await requests.pending(id);
    const row = pending as { run_id: string; request: { req: ControlRequest; meta: Meta } } | null;
    if (!row || !orchestrator.ownedRuns().includes(row.run_id)) return;
    if (!(await requests.claim(id))) return;
    let response: unknown;
    try {
      response = { ok: true, result: await own(row.run_id, row.request.req, row.request.meta) };
    } catch (err) {
      const e = err instanceof LlmctlError ? err.toInfo() : { code: 'internal', message: (err as Error).message, details: {}, retryable: true };
      response = { ok: false, error: e };
    }
    await requests.answer(id, response);
  };
  const listener = new Listener(clientConfigOf(pool), [REQUESTS, REPLIES], (ch, id) => {
    if (ch === REQUESTS) void serve(id).catch(() => undefined);
    else waiting.get(id)?.();
  });
  void listener.start();
  const relay = async (runId: string, req: ControlRequest, meta: Meta): Promise<Result> => {
    const id = randomUUID();
    const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
    await requests.submit(id, runId, { req, meta });
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const row = (await requests.state(id)) as { status: string; response: { ok: boolean; result?: Result; error?: { code: string; message: string; details: Record<string, unknown>; retryable: boolean } } | null };
        if (row.status === 'done' && row.response) {
          if (row.response.ok) return row.response.result!;
          const e = row.response.error!;
          throw new LlmctlError(e.code as ErrorCode, e.message, e.details, e.retryable);
        }
        if (Date.now() >= deadline) {
          await requests.abandon(id);
          throw new LlmctlError('unavailable', `the owner of run ${runId} did not answer the control request; try again`, { run_id: runId });
        }
        await Promise.race([answered, new Promise((res) => setTimeout(res, 250))]);
      }
    } finally {
      waiting.delete(id);
    }
  };
  orchestrator.control = async (runId, req, meta) => {
    try {
      return await own(runId, req, meta);
    } catch (err) {
      if (err instanceof LlmctlError && err.code === 'unavailable' && typeof err.details.owner === 'string') return relay(runId, req, meta);
      throw err;
    }
  };
  return { stop: () => listener.stop() };
}
