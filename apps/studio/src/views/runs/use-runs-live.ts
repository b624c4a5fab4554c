/**
 * Keeps the runs list live: subscribes the shared socket to the rooms of the listed flowcharts (`flowchart:<id>`) and
 * refetches the list when one of their runs changes (a new run, a status change). Event-driven, never polled.
 */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getSocket } from '../../api/realtime.ts';
import { coalesced } from '../../core/coalesce.ts';

/** Refetches `['runs', …]` queries on run events of the given flowcharts. */
export function useRunsLive(flowchartIds: readonly string[]): void {
  const qc = useQueryClient();
  const key = [...flowchartIds].sort().join(',');
  useEffect(() => {
    if (!key) return;
    const rooms = key.split(',').map((id) => `flowchart:${id}`);
    const s = getSocket();
    // One refetch at a time; events during it cause exactly one more (dropping them left a run that finished while
    // a refetch was in flight shown as running for good).
    const refetch = coalesced(() => qc.invalidateQueries({ queryKey: ['runs'] }));
    const onEvent = (env: { event_type?: string; run_id?: string | null } | undefined): void => {
      if (env?.run_id && typeof env.event_type === 'string' && env.event_type.startsWith('flowchart:run:')) refetch();
    };
    const subscribe = (): void => {
      s.emit('subscribe', { rooms });
    };
    s.on('event', onEvent);
    s.on('connect', subscribe);
    if (s.connected) subscribe();
    return () => {
      s.off('event', onEvent);
      s.off('connect', subscribe);
      s.emit('unsubscribe', { rooms });
    };
  }, [key, qc]);
}
