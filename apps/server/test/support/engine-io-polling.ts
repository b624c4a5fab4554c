/**
 * A bare Engine.IO v4 long-polling client (fetch only) for auth audits: it speaks Socket.IO packets directly, so it
 * can ignore a refused handshake and emit events anyway, which socket.io-client never does.
 */

/** One polling session. */
export interface PollingSession {
  sid: string;
  /** Sends Socket.IO packets (e.g. `40/rt,{"token":"…"}`); resolves with the HTTP status. */
  send(...packets: string[]): Promise<number>;
  /** One long-poll: the packets the server had queued (it answers at once when something is queued). */
  poll(): Promise<{ status: number; packets: string[] }>;
}

/** Opens a polling session at `url` + `/api/socket.io/`. */
export async function openPolling(url: string, headers: Record<string, string> = {}): Promise<PollingSession> {
  const base = `${url}/api/socket.io/?EIO=4&transport=polling`;
  const open = await fetch(base, { headers });
  const text = await open.text();
  if (open.status !== 200 || !text.startsWith('0')) throw new Error(`engine.io open failed: ${open.status} ${text}`);
  const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
  const at = `${base}&sid=${encodeURIComponent(sid)}`;
  return {
    sid,
    async send(...packets) {
      const res = await fetch(at, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: packets.join('\x1e') });
      await res.text();
      return res.status;
    },
    async poll() {
      const res = await fetch(at, { headers });
      const body = await res.text();
      return { status: res.status, packets: res.status === 200 ? body.split('\x1e') : [body] };
    },
  };
}
