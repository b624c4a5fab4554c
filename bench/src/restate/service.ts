import './polyfill.ts';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as restate from '@restatedev/restate-sdk';

const OUTPUT = { ok: true };
const step = async (): Promise<{ ok: boolean }> => OUTPUT;

/*
 * The Restate version of the benchmark shapes: one service, one handler per shape kind. Every work node is one
 * `ctx.run` step (its result is journaled in Restate's log, and the SDK waits for the runtime to acknowledge it before
 * the handler goes on); a fan-out starts its N steps together and awaits them with `RestatePromise.all`, then one join
 * step — the same structure as the DBOS peer.
 */
const bench = restate.service({
  name: 'bench',
  handlers: {
    chain: async (ctx: restate.Context, n: number): Promise<number> => {
      let last: unknown = null;
      for (let i = 0; i < n; i++) last = await ctx.run(`n${i + 1}`, step);
      return last ? n : 0;
    },
    fanout: async (ctx: restate.Context, width: number): Promise<boolean> => {
      const outs = await restate.RestatePromise.all(Array.from({ length: width }, (_, i) => ctx.run(`m${i + 1}`, step)));
      return ctx.run('join', async () => outs.length === width && outs.every((o) => o.ok));
    },
    loop: async (ctx: restate.Context, iterations: number): Promise<number> => {
      let iteration = 0;
      while (iteration < iterations) {
        await ctx.run('head', step);
        const next = iteration + 1;
        iteration = await ctx.run('check', async () => next);
      }
      return iteration;
    },
  },
});

/** The SDK's service endpoint (an HTTP/2 server on 127.0.0.1) that restate-server invokes. */
export interface ServiceEndpoint {
  /** `http://127.0.0.1:<port>`: what the deployment is registered with. */
  uri: string;
  close(): Promise<void>;
}

/** Starts the endpoint on a free loopback port. SDK log lines go to stderr (stdout carries the child's replies). */
export async function startServiceEndpoint(): Promise<ServiceEndpoint> {
  const logger: restate.LoggerTransport = (params, message, ...rest) => {
    if (params.level === 'error' || params.level === 'warn') console.error(`[restate-sdk] ${String(message)}`, ...rest);
  };
  const server = http2.createServer(restate.createEndpointHandler({ services: [bench], logger }));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // restate-server keeps its HTTP/2 sessions open: end them, or `close` waits for them.
      for (const s of sessions) s.destroy();
    }),
  };
}
