/**
 * A `fetch` that connects only to addresses resolved (and checked) beforehand: the DNS-rebinding guard of the base URL
 * policy. The URL keeps its host name, so the `Host` header, TLS SNI and certificate checks still use the name; only
 * the address lookup is replaced. Built on `node:http`/`node:https` (their `lookup` option); streams the response.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** The lookup function that answers every host name with the pinned addresses. */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, all);
    else cb(null, all[0]!.address, all[0]!.family);
  }) as unknown as LookupFunction;
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else if (v !== undefined) h.set(k, v);
  }
  return h;
}

/** A standard `fetch` whose connections go only to `addresses` (at least one). */
export function pinnedFetch(addresses: readonly string[]): typeof fetch {
  if (addresses.length === 0) throw new Error('pinnedFetch needs at least one address');
  const lookup = pinnedLookup(addresses);
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch failed: unsupported scheme ${url.protocol}`);
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    if (body && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const outgoing = mod.request(url, { method: req.method, headers, lookup, signal: req.signal, agent: false }, (res) => {
        const status = res.statusCode ?? 502;
        const nullBody = status === 204 || status === 304 || req.method === 'HEAD';
        if (nullBody) res.resume();
        resolve(new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
          status, statusText: res.statusMessage ?? '', headers: responseHeaders(res.headers),
        }));
      });
      outgoing.on('error', (err) => reject(req.signal.aborted
        ? new DOMException('This operation was aborted', 'AbortError')
        : Object.assign(new TypeError('fetch failed'), { cause: err })));
      outgoing.end(body);
    });
  };
}
