import type { ControlRequest } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { Orchestrator } from '@llmctl/runtime';
import { CONTROL_FROM } from '@llmctl/engine';
import { RUN_SORTS, RunRepository, parseListParams, readTraceRows, type RunView } from '@llmctl/store';
import { buildTrace } from '../runtime/trace.ts';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { logEnvelope } from '../realtime/envelope.ts';
import { queryOf, requireId, requireObjectBody } from './params.ts';
import { assertCutoverAllowsRun } from './cutover.ts';
import { CutoverSwitch } from './cutover-switch.ts';
import type { RuntimeSettingsCache } from '../runtime/runtime-settings-cache.ts';
import { RunWaiters, WAIT_DONE } from './run-waiters.ts';

type IdParams = { Params: { id: string } };

/** A query integer the route schema has checked (an empty value means "not given"). */
function intQuery(query: Record<string, unknown>, name: string, dflt: number): number {
  const v = query[name];
  return v === undefined || v === '' ? dflt : Number(v);
}

/** After the transition check (a 409 wins over a missing parameter): retry, skip and rewind name a node run. */
function requireNodeRun(req: ControlRequest): void {
  if ((req.action === 'retry' || req.action === 'skip' || req.action === 'rewind') && typeof req.node_run_id !== 'string') {
    throw new LlmctlError('validation_failed', `${req.action} needs node_run_id`, { errors: [{ path: 'node_run_id', message: 'required' }] });
  }
}

/** Runs: start, read (with long-poll), list, event catch-up, control (api.md, runtime.md "Run control"). */
export function runRoutes(orchestrator: Orchestrator, settings?: RuntimeSettingsCache): RouteInstaller {
  return async (app, ctx) => {
    const runs = new RunRepository(ctx.db.pool);
    // The cutover switch is read once and kept while the realtime layer hears every settings save (it trusts the
    // process's settings cache while its LISTEN connection is up); this process's own saves forget it before the PUT
    // answers (the cache's owner registers that when it passes one in).
    const cutover = new CutoverSwitch(settings ?? ctx.repos.settings);
    if (!settings) ctx.repos.settings.onSaved(() => cutover.invalidate());
    // Applying a migration turns the switch off in the same transaction and announces the flowchart it created.
    const emitBefore = ctx.emit;
    ctx.emit = (event) => {
      if (event.event_type === 'flowchart:definition:updated') cutover.invalidate();
      emitBefore(event);
    };
    app.decorate('cutoverSwitch', cutover);
    const waiters = new RunWaiters(orchestrator.bus);
    // The realtime layer (installed after these routes) carries the commit signals of every process.
    const attachSignals = (): void => {
      if (app.hasDecorator('realtime')) waiters.attachSignals(app.realtime.runSignals, app.realtime.signalsUp());
    };
    app.addHook('onReady', async () => attachSignals());
    app.decorate('runWaiters', waiters);
    app.addHook('onClose', async () => waiters.close());

    /**
     * The run once it is finished or paused, or after `seconds` (`GET /api/runs/:id?wait_s`). Listens first; a run this
     * process is executing (the waiters' live book) is not read before its end. Otherwise it reads the whole run once:
     * a run already done is answered from that read (one round trip), an unknown one is a 404. Then it waits for the run's terminal event on the bus (runs this process owns: no read per event) or a
     * commit signal of another process (then a run-row read decides), and reads the whole run again. Waiters are kept
     * by run id (run-waiters.ts): an event reaches only the requests waiting on its run.
     */
    const waitForRun = async (runId: string, seconds: number): Promise<RunView> => {
      let done = false;
      let wake = (): void => undefined;
      const finished = new Promise<void>((resolve) => { wake = resolve; });
      const finish = (): void => {
        if (done) return;
        done = true;
        wake();
      };
      const check = async (): Promise<void> => {
        const r = await runs.get(runId, false);
        if (!r || WAIT_DONE.has(r.status)) finish();
      };
      // A failed read (database briefly unreachable) is retried on the next signal, never an unhandled rejection.
      const checkQuietly = (): void => {
        check().catch(() => undefined);
      };
      // Runs this process owns: their committed events come on the bus and carry the new status, so no read is needed.
      // Runs owned by another process: their commits arrive as LISTEN/NOTIFY signals of the realtime layer (after a
      // reconnect of its connection, check again); a signal of a commit the bus already delivered is skipped. An app
      // built without realtime polls as a fallback.
      attachSignals();
      let seen = 0;
      const remove = waiters.add(runId, {
        onBus(e) {
          seen = Math.max(seen, e.sequence);
          const p = e.payload as { kind?: string; status?: string };
          if (p.kind === 'run.status' && p.status !== undefined && WAIT_DONE.has(p.status)) finish();
        },
        onSignal(lastSequence) {
          if (!(lastSequence !== undefined && lastSequence <= seen)) checkQuietly();
        },
        onReconnect: checkQuietly,
      });
      const timer = setTimeout(finish, seconds * 1000);
      const poll = waiters.hasSignals ? undefined : setInterval(checkQuietly, 500);
      try {
        // Registered first, then asked: an end published after this line reaches the waiter.
        const live = waiters.liveHere(runId);
        if (live !== undefined) seen = Math.max(seen, live);
        else {
          const first = await runs.require(runId);
          if (WAIT_DONE.has(first.status)) return first;
        }
        await finished;
        return await runs.require(runId);
      } finally {
        remove();
        clearTimeout(timer);
        clearInterval(poll);
      }
    };

    app.post<IdParams>('/api/flowcharts/:id/runs', async (req, reply) => {
      const id = requireId('fc', req.params.id, 'flowchart');
      await assertCutoverAllowsRun(ctx, id, cutover); // imported llmctl flowcharts wait for the cutover (409 cutover_disabled)
      const body = req.body === undefined ? {} : requireObjectBody(req.body); // the body schema checked its fields
      const version = body.version as number | undefined;
      const runId = await orchestrator.startRun(id, { input: body.input ?? {}, ...(version ? { version } : {}) }, { request_id: req.id, correlation_id: req.correlationId });
      return ok(reply, await runs.require(runId), undefined, 201);
    });

    app.get('/api/runs', async (req, reply) => {
      const q = queryOf(req.query);
      // status, flowchart_id and cursor are checked by the route's query schema; created_after also needs Date.parse.
      const status = q.status as string | undefined;
      const fc = q.flowchart_id as string | undefined;
      const after = q.created_after as string | undefined;
      if (after !== undefined && after !== '' && Number.isNaN(Date.parse(after))) {
        throw new LlmctlError('validation_failed', 'created_after must be an ISO 8601 date-time', { errors: [{ path: 'created_after', message: 'invalid' }] });
      }
      const params = parseListParams(q, { sorts: RUN_SORTS, defaultSort: 'created_at', defaultOrder: 'desc' });
      const cursor = q.cursor as string | undefined;
      const list = await runs.list({ ...(fc ? { flowchart_id: fc } : {}), ...(status ? { status } : {}), ...(after ? { created_after: new Date(after).toISOString() } : {}) }, params, cursor === '' ? undefined : cursor);
      return ok(reply, list.items, { ...list.page, ...(cursor !== undefined ? { next_cursor: list.next_cursor } : {}), ...(list.total_estimated ? { total_estimated: true } : {}) });
    });

    app.get<IdParams>('/api/runs/:id', async (req, reply) => {
      const id = requireId('run', req.params.id, 'run');
      const wait = intQuery(queryOf(req.query), 'wait_s', 0); // 1..60 (query schema)
      return ok(reply, wait ? await waitForRun(id, wait) : await runs.require(id));
    });

    app.get<IdParams>('/api/runs/:id/events', async (req, reply) => {
      const id = requireId('run', req.params.id, 'run');
      const q = queryOf(req.query);
      const after = intQuery(q, 'after_sequence', 0); // integers checked by the query schema
      const limit = intQuery(q, 'limit', 100) || 100;
      const run = await runs.get(id, false);
      if (!run) throw new LlmctlError('not_found', `run ${id} not found`, { run_id: id });
      const events = await runs.events(id, after, limit);
      const next = events.length > 0 ? events[events.length - 1]!.sequence : after;
      return ok(reply, events.map((e) => logEnvelope({ ...e, flowchart_id: run.flowchart_id }, e.created_at)), { after_sequence: after, limit, next_after_sequence: next });
    });

    app.get<IdParams>('/api/runs/:id/trace', async (req, reply) => {
      const id = requireId('run', req.params.id, 'run');
      const trace = buildTrace(await readTraceRows(ctx.db.pool, id));
      if (!trace) throw new LlmctlError('not_found', `run ${id} not found`, { run_id: id });
      return ok(reply, trace);
    });

    app.post<IdParams>('/api/runs/:id/control', async (req, reply) => {
      const id = requireId('run', req.params.id, 'run');
      const request = requireObjectBody(req.body) as unknown as ControlRequest; // fields checked by the ControlRequest schema
      const current = await runs.require(id);
      // A run that continued as new is cancelled through its chain (the orchestrator cancels the chain's live run).
      const chainCancel = request.action === 'cancel' && current.continued_to !== null;
      if (!chainCancel && !CONTROL_FROM[request.action].includes(current.status)) {
        throw new LlmctlError('invalid_transition', `cannot ${request.action} a run that is ${current.status}`, { status: current.status, action: request.action, allowed_from: CONTROL_FROM[request.action] });
      }
      requireNodeRun(request);
      const result = await orchestrator.control(id, request, { request_id: req.id, correlation_id: req.correlationId, actor: 'api' });
      return ok(reply, { run: await runs.require(id), ...result });
    });
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The cutover switch as this process knows it (cutover-switch.ts: a view of the process's settings cache). */
    cutoverSwitch: CutoverSwitch;
    /** The long-polls waiting on runs, by run id (run-waiters.ts). */
    runWaiters: RunWaiters;
  }
}
