/**
 * Realtime test helpers: a real socket.io-client on `/rt`, an event collector, and a slow scripted flowchart so runs
 * are live while tests subscribe.
 */
import { io, type Socket } from 'socket.io-client';
import type { EventEnvelope } from '@llmctl/contracts';
import type { TestServer } from './test-server.ts';

/** Connects to `<url>/rt` over WebSocket; rejects with the handshake error (its `data` holds the coded reason). */
export function connectRealtime(url: string, token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/rt`, {
      path: '/api/socket.io', transports: ['websocket'], reconnection: false, forceNew: true,
      ...(token ? { auth: { token } } : {}),
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Sends `subscribe` and resolves with the acknowledgement. */
export function subscribe(socket: Socket, body: unknown): Promise<any> {
  return socket.timeout(15_000).emitWithAck('subscribe', body);
}

/** Everything a socket received, with a way to wait for a condition over it. */
export interface Collector {
  events: EventEnvelope[];
  /** Resolves once `pred(events)` holds (checked on every event); rejects after `timeoutMs`. */
  until(pred: (events: EventEnvelope[]) => boolean, timeoutMs?: number): Promise<EventEnvelope[]>;
}

export function collect(socket: Socket): Collector {
  const events: EventEnvelope[] = [];
  const waiters = new Set<() => void>();
  socket.on('event', (e: EventEnvelope) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  return {
    events,
    until(pred, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pred(events)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; received ${events.length} events: ${events.map((e) => `${e.event_type}#${e.sequence}`).join(' ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Sequences of the logged events of `runId` in arrival order. */
export function sequencesOf(events: EventEnvelope[], runId: string): number[] {
  return events.filter((e) => e.run_id === runId && e.sequence !== null).map((e) => e.sequence as number);
}

/** [from, from+1, …, to]. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Registers a scripted model answering after `delayMs` and a start → n tasks → end flowchart; returns its id. */
export async function seedSlowFlowchart(s: Pick<TestServer, 'request'>, opts: { tasks?: number; delayMs?: number; name?: string; headers?: Record<string, string> } = {}): Promise<string> {
  const tasks = opts.tasks ?? 4;
  const name = opts.name ?? 'slow';
  const h = opts.headers ?? {};
  const model = await s.request('POST', '/api/models', { name: `${name}-model`, provider: 'scripted', settings: { responses: [{ output: 'step done for {{node.id}}', delay_ms: opts.delayMs ?? 120 }] } }, h);
  if (model.status !== 201) throw new Error(`model: ${model.status} ${model.text}`);
  const ids = Array.from({ length: tasks }, (_, i) => `t${i + 1}`);
  const nodes = [{ id: 'start', type: 'start' }, ...ids.map((id) => ({ id, type: 'task', config: { model: `${name}-model`, prompt: `do ${id}` } })), { id: 'end', type: 'end' }];
  const chain = ['start', ...ids, 'end'];
  const edges = chain.slice(1).map((target, i) => ({ id: `e${i + 1}`, source: chain[i]!, target }));
  const fc = await s.request('POST', '/api/flowcharts', { schema_version: 1, name, nodes, edges }, h);
  if (fc.status !== 201) throw new Error(`flowchart: ${fc.status} ${fc.text}`);
  return fc.body.data.id as string;
}

/** Starts a run of `flowchartId`; returns its id. */
export async function startRun(s: Pick<TestServer, 'request'>, flowchartId: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await s.request('POST', `/api/flowcharts/${flowchartId}/runs`, { input: {} }, headers);
  if (res.status !== 201) throw new Error(`run: ${res.status} ${res.text}`);
  return res.body.data.id as string;
}

/** Polls the log until the run has at least `n` events; returns how many it has. */
export async function waitForLogged(s: Pick<TestServer, 'request'>, runId: string, n: number, headers: Record<string, string> = {}): Promise<number> {
  for (let i = 0; i < 400; i += 1) {
    const res = await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`, undefined, headers);
    if (res.body.data.length >= n) return res.body.data.length as number;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`run ${runId} never logged ${n} events`);
}

/** Waits for the run to finish; returns it (with `last_sequence`). */
export async function finishedRun(s: Pick<TestServer, 'request'>, runId: string, headers: Record<string, string> = {}): Promise<any> {
  for (;;) {
    const res = await s.request('GET', `/api/runs/${runId}?wait_s=30`, undefined, headers);
    if (['succeeded', 'failed', 'canceled'].includes(res.body.data.status)) return res.body.data;
  }
}
