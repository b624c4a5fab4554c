/**
 * The shared Socket.IO connection (`/api/socket.io`, namespace `/rt`). The run view's live fold of a run's events is
 * in views/runs/use-run-live.ts; the runs list's room subscriptions in views/runs/use-runs-live.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { getAuthToken } from './http.ts';

let socket: Socket | null = null;

/** The shared realtime socket (created on first use). */
export function getSocket(): Socket {
  if (!socket) {
    const token = getAuthToken();
    socket = io('/rt', {
      path: '/api/socket.io',
      transports: ['websocket', 'polling'],
      ...(token ? { auth: { token } } : {}),
    });
  }
  return socket;
}
