import http from 'node:http';
import type { Shape } from '../workloads.ts';
import { epochMs } from '../stats.ts';

/** Calls the bench service through Restate's HTTP ingress (request → the handler's durable result). */
export class IngressClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(private readonly ingressUrl: string) {}

  /** POSTs `body` as JSON to `/bench/<handler>` and resolves with the parsed JSON reply. */
  call(handler: string, body: unknown): Promise<unknown> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.ingressUrl}/bench/${handler}`, {
        method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`restate ingress /bench/${handler}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : null);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Runs one shape (one invocation) and resolves with its wall time in ms (request sent → durable result back). */
  async run(shape: Shape): Promise<number> {
    const t0 = epochMs();
    switch (shape.kind) {
      case 'chain':
      case 'flow3': {
        const n = shape.kind === 'chain' ? shape.nodes : 3;
        const r = await this.call('chain', n);
        if (r !== n) throw new Error(`Restate chain ran ${String(r)} steps`);
        break;
      }
      case 'fanout':
        if ((await this.call('fanout', shape.width)) !== true) throw new Error('Restate join did not see every branch');
        break;
      case 'loop': {
        const r = await this.call('loop', shape.iterations);
        if (r !== shape.iterations) throw new Error(`Restate loop ran ${String(r)} iterations`);
        break;
      }
    }
    return epochMs() - t0;
  }

  close(): void {
    this.agent.destroy();
  }
}
