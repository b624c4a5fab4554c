import type pg from 'pg';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';
import { CONTRACT_VERSION, LlmctlError, type EventEnvelope } from '@llmctl/contracts';
import { RunLookups, RunRepository } from '@llmctl/store';
import { CONFIG_ROOM, logEnvelope, type LogEvent } from './envelope.ts';
import { RunFeeds, type RunFeed } from './run-feeds.ts';
import { MAX_ROOMS_PER_SOCKET, parseRoomRequest } from './subscribe-request.ts';

/** The acknowledgement of `subscribe` / `unsubscribe`. */
export type RoomAck =
  | { ok: true; rooms: string[]; replayed?: number; last_sequence?: number }
  | { ok: false; error: { contract_version: 'v1'; code: string; message: string; details: Record<string, unknown>; retryable: boolean } };

interface RunCursor {
  /** The last sequence this socket received of the run. */
  cursor: number;
  /** Live events held while the log is replayed (null once live). */
  buffer: EventEnvelope[] | null;
}

interface Client {
  socket: Socket;
  rooms: Set<string>;
  /** Runs this socket subscribed to with `after_sequence`: it receives each sequence once, in order. */
  cursors: Map<string, RunCursor>;
  /** Serialises this socket's subscribe/unsubscribe calls. */
  queue: Promise<unknown>;
}

/** Options of {@link RealtimeHub}. */
export interface RealtimeHubOptions {
  pool: pg.Pool;
  nsp: Namespace;
  logger: Logger;
  /** See `RunFeedsDeps.localGraceMs`. */
  localGraceMs?: number;
}

const REPLAY_PAGE = 500;
const RUN_CACHE_MAX = 10_000;
/** A flowchart room created by a notification also gets events committed this long before it was first joined. */
const FLOWCHART_ROOM_SLACK_MS = 2000;

function ackError(err: unknown): RoomAck {
  const e = err instanceof LlmctlError ? err : new LlmctlError('internal', 'The subscription failed; retry.', {}, true);
  return { ok: false, error: { contract_version: CONTRACT_VERSION, code: e.code, message: e.message, details: e.details, retryable: e.retryable } };
}

/**
 * Rooms, subscriptions and delivery of one server process. Log events reach subscribers through {@link RunFeeds}
 * (each sequence once, in order); a subscribe with `after_sequence` replays the log to that socket while its live
 * events are buffered, then flushes the buffer without duplicates. Unlogged events (tokens, artifacts, config) are
 * delivered to the rooms in their `room_keys`; `config:models` is every socket.
 */
export class RealtimeHub {
  private readonly rooms = new Map<string, Set<Client>>();
  private readonly clients = new Map<string, Client>();
  /** When each flowchart room was first joined (ms). */
  private readonly flowchartSince = new Map<string, number>();
  /** run id → flowchart id (bounded). */
  private readonly runFlowchart = new Map<string, string>();
  private readonly resolving = new Set<string>();
  private readonly runs: RunRepository;
  private readonly lookups: RunLookups;
  readonly feeds: RunFeeds;

  constructor(private readonly o: RealtimeHubOptions) {
    this.runs = new RunRepository(o.pool);
    this.lookups = new RunLookups(o.pool);
    this.feeds = new RunFeeds({
      readEvents: (runId, after, limit) => this.runs.events(runId, after, limit),
      deliver: (e) => this.deliverLog(e),
      logError: (msg, err) => o.logger.warn({ err }, msg),
      ...(o.localGraceMs !== undefined ? { localGraceMs: o.localGraceMs } : {}),
    });
  }

  /** Number of local sockets in `room`. */
  roomSize(room: string): number {
    return this.rooms.get(room)?.size ?? 0;
  }

  /** Registers a connected socket: it joins `config:models` and may `subscribe` / `unsubscribe`. */
  attach(socket: Socket): void {
    const client: Client = { socket, rooms: new Set(), cursors: new Map(), queue: Promise.resolve() };
    this.clients.set(socket.id, client);
    void socket.join(CONFIG_ROOM);
    const handle = (fn: (raw: unknown) => Promise<RoomAck> | RoomAck) => (raw: unknown, ack?: unknown) => {
      const reply = (res: RoomAck): void => {
        if (typeof ack === 'function') ack(res);
      };
      const run = client.queue.then(() => fn(raw));
      client.queue = run.catch(() => undefined);
      void run.then(reply, (err: unknown) => reply(ackError(err)));
    };
    socket.on('subscribe', handle((raw) => this.subscribe(client, raw)));
    socket.on('unsubscribe', handle((raw) => this.unsubscribe(client, raw)));
    socket.on('disconnect', () => this.detach(client));
  }

  private detach(client: Client): void {
    this.clients.delete(client.socket.id);
    for (const room of [...client.rooms]) this.leave(client, room);
    client.cursors.clear();
  }

  private join(client: Client, room: string): void {
    let set = this.rooms.get(room);
    if (!set) {
      set = new Set();
      this.rooms.set(room, set);
      if (room.startsWith('flowchart:')) this.flowchartSince.set(room.slice(10), Date.now());
    }
    set.add(client);
    client.rooms.add(room);
  }

  private leave(client: Client, room: string): void {
    client.rooms.delete(room);
    const set = this.rooms.get(room);
    if (!set) return;
    set.delete(client);
    if (set.size > 0) return;
    this.rooms.delete(room);
    if (room.startsWith('run:')) this.dropIfUnwatched(room.slice(4));
    else if (room.startsWith('flowchart:')) {
      const fc = room.slice(10);
      this.flowchartSince.delete(fc);
      for (const feed of this.feeds.all()) if (feed.flowchartId === fc) this.dropIfUnwatched(feed.runId);
    }
  }

  private dropIfUnwatched(runId: string): void {
    const feed = this.feeds.get(runId);
    if (feed && this.roomSize(`run:${runId}`) === 0 && this.roomSize(`flowchart:${feed.flowchartId}`) === 0) this.feeds.drop(runId);
  }

  private remember(runId: string, flowchartId: string): void {
    this.runFlowchart.delete(runId);
    this.runFlowchart.set(runId, flowchartId);
    if (this.runFlowchart.size > RUN_CACHE_MAX) this.runFlowchart.delete(this.runFlowchart.keys().next().value!);
  }

  private async subscribe(client: Client, raw: unknown): Promise<RoomAck> {
    try {
      const req = parseRoomRequest(raw, true);
      if (new Set([...client.rooms, ...req.rooms]).size > MAX_ROOMS_PER_SOCKET) {
        throw new LlmctlError('validation_failed', `A socket may be in at most ${MAX_ROOMS_PER_SOCKET} rooms.`, { errors: [{ path: 'rooms', message: 'too many rooms' }] });
      }
      const runRows = await this.lookups.runHeads(req.runIds);
      const missingRun = req.runIds.find((id) => !runRows.some((r) => r.id === id));
      if (missingRun) throw new LlmctlError('not_found', `No run ${missingRun}.`, { room: `run:${missingRun}` });
      if (req.flowchartIds.length > 0) {
        const found = new Set(await this.lookups.existingFlowchartIds(req.flowchartIds));
        const missing = req.flowchartIds.find((id) => !found.has(id));
        if (missing) throw new LlmctlError('not_found', `No flowchart ${missing}.`, { room: `flowchart:${missing}` });
      }
      if (!client.socket.connected) return { ok: true, rooms: [] };
      const replayRun = req.afterSequence !== undefined ? runRows[0]! : undefined;
      const joined = req.rooms.filter((room) => !client.rooms.has(room));
      // Buffer first, then join and start the feeds: every live event after this point is either buffered or replayed.
      if (replayRun) client.cursors.set(replayRun.id, { cursor: req.afterSequence!, buffer: [] });
      for (const room of req.rooms) this.join(client, room);
      for (const r of runRows) {
        this.remember(r.id, r.flowchart_id);
        const { feed, created } = this.feeds.ensure(r.id, r.flowchart_id, Number(r.last_sequence));
        // A commit between the read above and now may have passed the bus before the feed existed.
        if (created) this.feeds.fill(feed);
      }
      if (!replayRun) return { ok: true, rooms: [...client.rooms] };
      const cur = client.cursors.get(replayRun.id)!;
      let replayed = 0;
      try {
        for (;;) {
          const rows = await this.runs.events(replayRun.id, cur.cursor, REPLAY_PAGE);
          for (const row of rows) {
            const seq = Number(row.sequence);
            if (seq <= cur.cursor) continue;
            cur.cursor = seq;
            replayed += 1;
            client.socket.emit('event', logEnvelope({ ...row, flowchart_id: replayRun.flowchart_id }));
          }
          if (rows.length < REPLAY_PAGE) break;
        }
      } catch (err) {
        // A half-done replay must not turn into a silent gap: undo this subscription; the client retries it.
        client.cursors.delete(replayRun.id);
        for (const room of joined) this.leave(client, room);
        throw err;
      }
      const held = cur.buffer ?? [];
      cur.buffer = null;
      for (const env of held) this.sendTo(client, env);
      return { ok: true, rooms: [...client.rooms], replayed, last_sequence: cur.cursor };
    } catch (err) {
      if (!(err instanceof LlmctlError)) this.o.logger.warn({ err }, 'realtime subscribe failed');
      return ackError(err);
    }
  }

  private unsubscribe(client: Client, raw: unknown): RoomAck {
    try {
      const req = parseRoomRequest(raw, false);
      for (const room of req.rooms) {
        if (room.startsWith('run:')) client.cursors.delete(room.slice(4));
        this.leave(client, room);
      }
      return { ok: true, rooms: [...client.rooms] };
    } catch (err) {
      return ackError(err);
    }
  }

  /** Sends one envelope to one socket, honouring its replay buffer and cursor for the run. */
  private sendTo(client: Client, env: EventEnvelope): void {
    const cur = env.run_id ? client.cursors.get(env.run_id) : undefined;
    if (cur) {
      if (cur.buffer) {
        cur.buffer.push(env);
        return;
      }
      if (env.sequence !== null) {
        if (env.sequence <= cur.cursor) return;
        cur.cursor = env.sequence;
      }
    }
    client.socket.emit('event', env);
  }

  private targets(roomKeys: readonly string[]): Set<Client> {
    const out = new Set<Client>();
    for (const room of roomKeys) for (const c of this.rooms.get(room) ?? []) out.add(c);
    return out;
  }

  /** Publishes a committed log event (called by the feeds, in order). */
  private deliverLog(e: LogEvent): void {
    const env = logEnvelope(e);
    for (const c of this.targets(env.room_keys)) this.sendTo(c, env);
  }

  /** Delivers an unlogged envelope (token, artifact, config) to this process's sockets in its rooms. */
  deliverUnlogged(env: EventEnvelope): void {
    if (env.room_keys.includes(CONFIG_ROOM)) {
      this.o.nsp.to(CONFIG_ROOM).emit('event', env);
      return;
    }
    for (const c of this.targets(env.room_keys)) this.sendTo(c, env);
  }

  /** A committed event from this process's bus. */
  onBusEvent(e: LogEvent): void {
    let feed: RunFeed | undefined = this.feeds.get(e.run_id);
    if (!feed) {
      if (this.roomSize(`flowchart:${e.flowchart_id}`) === 0) return;
      this.remember(e.run_id, e.flowchart_id);
      feed = this.feeds.ensure(e.run_id, e.flowchart_id, Number(e.sequence) - 1).feed;
    }
    feed.local = true;
    this.feeds.offer(feed, e);
  }

  /** A `llmctl_run_events` notification `{ run_id, last_sequence }` (from any process, this one included). */
  onRunNotification(payload: string): void {
    let n: { run_id?: unknown; last_sequence?: unknown };
    try {
      n = JSON.parse(payload) as typeof n;
    } catch {
      return;
    }
    if (typeof n.run_id !== 'string' || typeof n.last_sequence !== 'number') return;
    const runId = n.run_id;
    if (this.feeds.get(runId)) {
      this.feeds.notified(runId, n.last_sequence);
      return;
    }
    if (this.flowchartSince.size === 0 || this.resolving.has(runId)) return;
    const known = this.runFlowchart.get(runId);
    if (known !== undefined && this.roomSize(`flowchart:${known}`) === 0) return;
    this.resolving.add(runId);
    void this.feedFromNotification(runId).catch((err) => this.o.logger.warn({ err }, 'realtime: cannot resolve a notified run'))
      .finally(() => this.resolving.delete(runId));
  }

  /** Starts a feed for a run of another process whose flowchart room has subscribers here. */
  private async feedFromNotification(runId: string): Promise<void> {
    let fc = this.runFlowchart.get(runId);
    if (fc === undefined) {
      const found = await this.lookups.flowchartOfRun(runId);
      if (found === null) return;
      fc = found;
      this.remember(runId, fc);
    }
    const since = this.flowchartSince.get(fc);
    if (since === undefined || this.feeds.get(runId)) return;
    const base = await this.lookups.lastSequenceBefore(runId, new Date(since - FLOWCHART_ROOM_SLACK_MS).toISOString());
    if (this.roomSize(`flowchart:${fc}`) === 0) return;
    const { feed, created } = this.feeds.ensure(runId, fc, base);
    if (created) this.feeds.fill(feed);
  }

  /** After the notification connection was re-established: read every watched run's log for what was missed. */
  refillAll(): void {
    for (const feed of this.feeds.all()) this.feeds.fill(feed);
  }

  close(): void {
    this.feeds.close();
    this.rooms.clear();
    this.clients.clear();
  }
}
