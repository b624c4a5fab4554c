/** Raw HTTP/1.1 over a TCP socket, for requests `fetch` refuses to send (malformed request lines, huge headers). */
import net from 'node:net';

/** A raw response split into status, headers (lower-cased names) and body. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** Parses the first HTTP/1.1 response in `raw` (a Content-Length body; undefined when there is none). */
export function parseRawResponse(raw: string): RawResponse | undefined {
  const head = raw.indexOf('\r\n\r\n');
  if (head < 0) return undefined;
  const lines = raw.slice(0, head).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? 0);
  const bodyBytes = Buffer.from(raw.slice(head + 4), 'latin1').subarray(0, len);
  return { status: Number(m[1]), headers, body: bodyBytes.toString('utf8'), raw };
}

/**
 * Writes `data` (latin1 bytes when a string) to `url`'s host and port and resolves with everything the server sent
 * until it closed the connection (or `endAfter` returns true for the bytes so far).
 */
export function rawExchange(url: string, data: string | Buffer, endAfter?: (soFar: string) => boolean): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname);
    let out = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(out);
    };
    socket.on('connect', () => socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
    socket.on('data', (b: Buffer) => {
      out += b.toString('latin1');
      if (endAfter?.(out)) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish();
      else reject(err);
    });
  });
}
