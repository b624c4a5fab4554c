/**
 * Live run updates for the run view. Events are ordered by the core EventSequencer; a sequence gap or a reconnect
 * triggers a catch-up from `GET /api/runs/:id/events`. Logged events are folded by the engine's shared projection
 * (core/live-run.ts) into the live run view — node runs, waiting joins, discarded tokens, routing — and schedule one
 * refetch of the run row for the fields the log does not hold (event-driven, never polling).
 */
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { EventEnvelope } from '@llmctl/contracts';
import { api } from '../../api/http.ts';
import { getSocket } from '../../api/realtime.ts';
import { queryString } from '../../core/api-envelope.ts';
import { EventSequencer, fetchAllAfter } from '../../core/event-sequencer.ts';
import { foldLogged, liveRunView, newLiveFold, type LiveRunView } from '../../core/live-run.ts';
import { appendToken, type TokenBuffers } from '../../core/run-state.ts';

/** Connection state shown in the run view. */
export type LiveStatus = 'connecting' | 'live' | 'catching_up' | 'disconnected';

/** What {@link useRunLive} returns. */
export interface RunLive {
  status: LiveStatus;
  /** Logged events received so far (most recent last, capped). */
  events: EventEnvelope[];
  /** Streamed model text per node run id. */
  tokens: TokenBuffers;
  lastSequence: number;
  /** The run's log folded by the shared projection (every logged event, not capped like `events`); null before any. */
  view: LiveRunView | null;
  /** Last catch-up or socket error message. */
  error: string | null;
}

const MAX_EVENTS = 500;
/**
 * Socket events are applied to React state in batches at most this often. Applying each one on its own re-rendered
 * the whole run view (graph, timeline) per event: a 500-node-run burst (~2,500 events) left the page a minute behind
 * the run and starved the socket's heartbeat (see apps/studio/bench/report.md).
 */
const LIVE_BATCH_MS = 50;

function isEnvelope(v: unknown): v is EventEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as EventEnvelope).event_type === 'string';
}

/** Subscribes to one run's room and keeps the `['run', id]` query and the token buffers live. */
export function useRunLive(runId: string | undefined): RunLive {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [events, setEvents] = useState<EventEnvelope[]>([]);
  const [tokens, setTokens] = useState<TokenBuffers>({});
  const [lastSequence, setLastSequence] = useState(0);
  const [view, setView] = useState<LiveRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!runId) return;
    let disposed = false;
    const sequencer = new EventSequencer<EventEnvelope>(0);
    let catchingUp: Promise<void> | null = null;
    let initialDone = false;
    const room = `run:${runId}`;
    const s = getSocket();
    setEvents([]);
    setTokens({});
    setLastSequence(0);
    setView(null);
    const fold = newLiveFold(runId);
    let foldBroken = false;

    const scheduleRefetch = (artifacts: boolean): void => {
      if (artifacts) void qc.invalidateQueries({ queryKey: ['artifacts', runId] });
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => void qc.invalidateQueries({ queryKey: ['run', runId] }), 150);
    };

    const apply = (list: EventEnvelope[], live: boolean): void => {
      if (disposed || list.length === 0) return;
      const logged = list.filter((e) => e.sequence !== null && e.sequence !== undefined);
      const toks = list.filter((e) => e.event_type === 'flowchart:node:token');
      if (toks.length) setTokens((b) => toks.reduce((acc, e) => appendToken(acc, e.payload), b));
      if (logged.length) {
        setEvents((prev) => [...prev, ...logged].slice(-MAX_EVENTS));
        if (!foldBroken) {
          try {
            const touched = foldLogged(fold, logged.map((e) => e.payload));
            setView((prev) => liveRunView(fold, prev, touched));
          } catch (e) {
            // An event this release cannot read (a newer format): show the server's run rows instead of a wrong fold.
            foldBroken = true;
            setView(null);
            setError(`cannot fold the run log: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        setLastSequence(sequencer.lastSequence);
        if (live) scheduleRefetch(logged.some((e) => e.event_type === 'flowchart:node_artifact:persisted'));
      }
    };

    // Socket events wait here (in arrival order, with their `live` flag) for the next batch.
    let queued: { env: EventEnvelope; live: boolean }[] = [];
    let batchTimer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      batchTimer = null;
      const items = queued;
      queued = [];
      for (let i = 0; i < items.length; ) {
        let j = i;
        while (j < items.length && items[j]!.live === items[i]!.live) j++;
        apply(items.slice(i, j).map((x) => x.env), items[i]!.live);
        i = j;
      }
    };
    const enqueue = (list: EventEnvelope[], live: boolean): void => {
      if (disposed || list.length === 0) return;
      for (const env of list) queued.push({ env, live });
      batchTimer ??= setTimeout(flush, LIVE_BATCH_MS);
    };

    const catchUp = (): Promise<void> => {
      if (catchingUp) return catchingUp;
      setStatus('catching_up');
      const live = initialDone;
      catchingUp = fetchAllAfter<EventEnvelope>(async (after) => {
        const r = await api<EventEnvelope[]>('GET', `/api/runs/${encodeURIComponent(runId)}/events${queryString({ after_sequence: after, limit: 1000 })}`);
        return { events: Array.isArray(r.data) ? r.data : [], next: r.page?.next_after_sequence };
      }, sequencer.lastSequence)
        .then((evs) => {
          const res = sequencer.offerMany(evs);
          flush(); // socket events the sequencer released before these come first
          apply(res.apply, live);
          if (!live) void qc.invalidateQueries({ queryKey: ['run', runId] });
          initialDone = true;
          setError(null);
        })
        .catch((e: unknown) => {
          setError(e instanceof Error ? e.message : String(e));
          initialDone = true;
        })
        .finally(() => {
          catchingUp = null;
          if (!disposed) setStatus(s.connected ? 'live' : 'disconnected');
        });
      return catchingUp;
    };

    const subscribe = (): void => {
      s.emit('subscribe', { rooms: [room], after_sequence: sequencer.lastSequence });
    };
    const onConnect = (): void => {
      if (!initialDone) return; // the initial catch-up subscribes when it is done
      // A reconnect may have missed events: subscribe with replay and catch up from the log as well.
      subscribe();
      void catchUp();
    };
    const onDisconnect = (): void => setStatus('disconnected');
    const onConnectError = (e: Error): void => {
      setStatus('disconnected');
      setError(`socket: ${e.message}`);
    };
    const onAny = (_name: string, ...args: unknown[]): void => {
      const env = args.find(isEnvelope);
      if (!env || (env.run_id && env.run_id !== runId)) return;
      if (env.event_type === 'flowchart:node:token' || env.sequence === null || env.sequence === undefined) {
        if (env.run_id === runId || env.room_keys?.includes(room)) enqueue([env], true);
        return;
      }
      const res = sequencer.offer(env);
      // Before the initial catch-up has set the baseline, events only go to the log (the run is refetched after).
      enqueue(res.apply, initialDone);
      if (res.gap && initialDone) void catchUp();
    };

    s.on('connect', onConnect);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onConnectError);
    s.onAny(onAny);
    if (!s.connected) s.connect();
    void catchUp().then(() => {
      if (disposed) return;
      if (s.connected) subscribe();
      if (sequencer.hasGap) void catchUp();
    });
    return () => {
      disposed = true;
      s.off('connect', onConnect);
      s.off('disconnect', onDisconnect);
      s.off('connect_error', onConnectError);
      s.offAny(onAny);
      s.emit('unsubscribe', { rooms: [room] });
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
      if (batchTimer) clearTimeout(batchTimer);
    };
  }, [runId, qc]);

  return { status, events, tokens, lastSequence, view, error };
}
