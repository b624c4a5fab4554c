/**
 * Socket.IO on the app's HTTP server (api.md "Realtime"): path `/api/socket.io`, namespace `/rt`.
 *
 * Client → server: `subscribe` `{ rooms: ['run:<id>' | 'flowchart:<id>', …], after_sequence? }` and `unsubscribe`
 * `{ rooms }`, each acknowledged with `{ ok: true, rooms, replayed?, last_sequence? }` or `{ ok: false, error }`.
 * Server → client: `event` with the api.md envelope. `run:<id>` gets that run's logged events (each sequence once, in
 * order) and its token/artifact events; `flowchart:<id>` gets the same for every run of the flowchart plus
 * `flowchart:definition:updated`; `config:model:*` events go to every connected socket (room key `config:models`).
 * With auth on, the handshake must carry the token (`auth: { token }`, or an `Authorization: Bearer` header).
 * Browser handshakes from another site's origin are refused (see {@link originAllowed}).
 *
 * Across processes: logged events travel through the log (`LISTEN llmctl_run_events`, then a read of `run_events`),
 * unlogged ones (config, tokens, artifacts) as batched `pg_notify('llmctl_unlogged_events', …)` envelopes.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { Server, type Namespace } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import type { EventEnvelope } from '@llmctl/contracts';
import { RUNTIME_SETTINGS_CHANNEL, newId } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { bearerOf } from '../auth/tokens.ts';
import { configEnvelope, unloggedEnvelope } from './envelope.ts';
import { PgListener } from './pg-listener.ts';
import { PeerPresence } from './peer-presence.ts';
import { RealtimeHub } from './realtime-hub.ts';
import { RUN_EVENTS_CHANNEL, UNLOGGED_CHANNEL, UnloggedRelay, type UnloggedBatch } from './unlogged-relay.ts';

/** Socket.IO path and namespace (api.md). */
export const SOCKET_PATH = '/api/socket.io';
export const SOCKET_NAMESPACE = '/rt';

/** The realtime layer of one app. */
export interface Realtime {
  io: Server;
  nsp: Namespace;
  hub: RealtimeHub;
  /** This process's id in relayed batches. */
  origin: string;
  /**
   * Commit signals of every process on the database: `run` (run id, the log's last sequence after that commit) for each `llmctl_run_events` notification,
   * `lost` when the notification connection went down, and `reconnect` after it came back (signals sent meanwhile
   * were lost: re-read what you wait for). Long-polls wait on these instead of polling the database.
   */
  runSignals: EventEmitter;
  /** True while the notification connection is up (signals are being heard). */
  signalsUp(): boolean;
  /** Whether another server process listens (token and artifact events are relayed only then). */
  peers: PeerPresence;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Socket.IO and the realtime hub (absent when the app has no runtime). */
    realtime: Realtime;
  }
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/**
 * Browsers send `Origin` on WebSocket handshakes, and WebSockets are not subject to CORS: a page of another site could
 * otherwise read a local, open server's events. Allowed: no Origin (non-browser clients), the server's own origin
 * (Origin host = Host header), and loopback origins (the studio's dev server proxies from another port).
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') return true;
  try {
    const u = new URL(origin);
    return u.host === req.headers.host || isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

function handshakeRefusal(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { data: { code, message, ...extra } });
}

function installSocketAuth(app: FastifyInstance, nsp: Namespace): void {
  if (!app.hasDecorator('llmctlAuth')) return;
  const auth = app.llmctlAuth;
  if (!auth.enabled && !auth.rateLimit) return;
  nsp.use((socket, next) => {
    const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof given === 'string' ? given : bearerOf(socket.handshake.headers.authorization);
    auth.check(token, socket.handshake.address).then((r) => {
      if (r.ok) {
        socket.data.principal = r.principal;
        next();
      } else {
        next(handshakeRefusal(r.code, r.message, r.retryAfterS ? { retry_after_s: r.retryAfterS } : {}));
      }
    }, () => next(handshakeRefusal('internal', 'The token could not be checked; retry.')));
  });
}

/** Attaches Socket.IO and the realtime hub; wires the runtime bus, `ctx.emit` and cross-process notifications. */
export const realtimeRoutes: RouteInstaller = async (app, ctx) => {
  const io = new Server(app.server, {
    path: SOCKET_PATH, serveClient: false,
    allowRequest: (req, cb) => {
      const allowed = originAllowed(req);
      cb(allowed ? null : 'origin not allowed', allowed);
    },
  });
  io.of('/').use((_socket, next) => next(handshakeRefusal('not_found', `Use the ${SOCKET_NAMESPACE} namespace.`)));
  const nsp = io.of(SOCKET_NAMESPACE);
  installSocketAuth(app, nsp);
  const hub = new RealtimeHub({ pool: ctx.db.pool, nsp, logger: ctx.logger });
  nsp.on('connection', (socket) => hub.attach(socket));

  const origin = newId('proc');
  const relay = new UnloggedRelay(ctx.db.pool, origin, (err) => ctx.logger.warn({ err }, 'realtime: relaying an event to other processes failed'));
  // Token and artifact events go to other servers only while one listens; config events always (they empty caches).
  const peers = new PeerPresence(ctx.db.pool, (err) => ctx.logger.warn({ err }, 'realtime: counting the other servers failed'));
  const publishUnlogged = (env: EventEnvelope, always = false): void => {
    hub.deliverUnlogged(env);
    if (always || peers.present) relay.send(env);
  };

  const offs: (() => void)[] = [];
  if (app.hasDecorator('orchestrator')) {
    const bus = app.orchestrator.bus;
    offs.push(bus.onEvent((e) => hub.onBusEvent(e)));
    offs.push(bus.onTransient((t) => {
      // No socket here in its rooms and no other server listening: no envelope is built (a token event per chunk).
      if (!peers.present && hub.roomSize(`run:${t.run_id}`) === 0 && hub.roomSize(`flowchart:${t.flowchart_id}`) === 0) return;
      publishUnlogged(unloggedEnvelope(t));
    }));
  }
  const emitBefore = ctx.emit;
  ctx.emit = (event) => {
    emitBefore(event);
    try {
      publishUnlogged(configEnvelope(event), true);
    } catch (err) {
      ctx.logger.warn({ err }, 'realtime: publishing a config event failed');
    }
  };

  const runSignals = new EventEmitter();
  runSignals.setMaxListeners(0);
  // The process's runtime-settings cache (cutover switch, executor setting) is trusted while this connection is up.
  const settings = app.hasDecorator('runtimeSettings') ? app.runtimeSettings : app.hasDecorator('cutoverSwitch') ? app.cutoverSwitch.cache : null;
  const listener = new PgListener({
    client: ctx.db.pool.options,
    channels: [RUN_EVENTS_CHANNEL, UNLOGGED_CHANNEL, RUNTIME_SETTINGS_CHANNEL],
    logger: ctx.logger,
    onLost: () => {
      peers.setListening(false);
      settings?.trust(false);
      runSignals.emit('lost');
    },
    onReconnect: () => {
      // Notifications sent meanwhile were lost: cached model rows and runtime settings may be stale.
      if (app.hasDecorator('modelRows')) app.modelRows.invalidate();
      settings?.trust(true);
      peers.setListening(true);
      relay.hello(); // the others may have stopped relaying to this process meanwhile
      hub.refillAll();
      runSignals.emit('reconnect');
    },
    onNotification(channel, payload) {
      if (channel === RUNTIME_SETTINGS_CHANNEL) {
        settings?.invalidate();
        return;
      }
      if (channel === RUN_EVENTS_CHANNEL) {
        hub.onRunNotification(payload);
        const runId = /"run_id"\s*:\s*"([^"]+)"/.exec(payload)?.[1];
        const last = /"last_sequence"\s*:\s*(\d+)/.exec(payload)?.[1];
        if (runId) runSignals.emit('run', runId, last === undefined ? undefined : Number(last));
        return;
      }
      let batch: UnloggedBatch;
      try {
        batch = JSON.parse(payload) as UnloggedBatch;
      } catch {
        return;
      }
      if (batch.o === origin || !Array.isArray(batch.events)) return;
      peers.heard();
      for (const env of batch.events) {
        if (typeof env?.event_type === 'string' && env.event_type.startsWith('config:model:') && app.hasDecorator('modelRows')) app.modelRows.invalidate();
        hub.deliverUnlogged(env);
      }
    },
  });
  // Sub-flowchart parents wait on these too (their child may be owned by another process): the runtime's port.
  if (app.hasDecorator('orchestrator')) {
    const signals = app.orchestrator.signals;
    runSignals.on('run', (runId: string) => signals.runChanged(runId));
    runSignals.on('reconnect', () => signals.reconnected());
  }
  await listener.start();
  settings?.trust(listener.connected);
  peers.setListening(listener.connected);
  peers.start();
  relay.hello();

  app.decorate('realtime', { io, nsp, hub, origin, runSignals, signalsUp: () => listener.connected, peers } satisfies Realtime);
  // Sockets end before the HTTP server closes (upgraded connections would keep it open).
  app.addHook('preClose', async () => {
    for (const ns of [nsp, io.of('/')]) ns.disconnectSockets(true);
    io.engine.close();
  });
  app.addHook('onClose', async () => {
    for (const off of offs) off();
    ctx.emit = emitBefore;
    hub.close();
    peers.stop();
    await relay.close();
    await listener.stop();
  });
};
