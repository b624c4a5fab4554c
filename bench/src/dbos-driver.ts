import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Shape } from './workloads.ts';
import { epochMs } from './stats.ts';

const OUTPUT = { ok: true };
const step = async (): Promise<{ ok: boolean }> => OUTPUT;

/*
 * DBOS Transact keeps one global runtime per process: workflows are registered once, before `launch`. Every work node
 * is one checkpointed step (`DBOS.runStep`: its output row is written to `operation_outputs` before the workflow goes
 * on), the workflow's status row is written at start and end. A fan-out runs its N steps concurrently inside the
 * workflow (`Promise.all`), then one join step.
 */
const chainWf = DBOS.registerWorkflow(async (n: number): Promise<number> => {
  let last: unknown = null;
  for (let i = 0; i < n; i++) last = await DBOS.runStep(step, { name: `n${i + 1}` });
  return last ? n : 0;
}, { name: 'bench_chain' });

const fanoutWf = DBOS.registerWorkflow(async (width: number): Promise<boolean> => {
  const outs = await Promise.all(Array.from({ length: width }, (_, i) => DBOS.runStep(step, { name: `m${i + 1}` })));
  return DBOS.runStep(async () => outs.length === width && outs.every((o) => o.ok), { name: 'join' });
}, { name: 'bench_fanout' });

const loopWf = DBOS.registerWorkflow(async (iterations: number): Promise<number> => {
  let iteration = 0;
  while (iteration < iterations) {
    await DBOS.runStep(step, { name: 'head' });
    iteration = await DBOS.runStep(async () => iteration + 1, { name: 'check' });
  }
  return iteration;
}, { name: 'bench_loop' });

let launched = false;

/**
 * A DBOS Transact peer on its own system database. No network beyond PostgreSQL: DBOS only dials out to its Conductor
 * (a `conductorKey` launch option, or `DBOS__CLOUD=true`) and to OTLP collectors (`enableOTLP` / endpoints); the bench
 * passes none of them and sets `enableOTLP: false` explicitly.
 */
export class DbosDriver {
  private constructor() {}

  /** Launches DBOS on `url` (its system tables are migrated there); one open driver per process. */
  static async open(url: string, o: { poolMax?: number } = {}): Promise<DbosDriver> {
    if (launched) throw new Error('DBOS is already launched in this process');
    delete process.env.DBOS__CLOUD;
    DBOS.setConfig({ name: 'llmctl-bench', systemDatabaseUrl: dbosSystemUrl(url), systemDatabasePoolSize: o.poolMax ?? 10, enableOTLP: false, logLevel: 'error' });
    await DBOS.launch();
    launched = true;
    return new DbosDriver();
  }

  /** Runner of a shape: resolves with the wall time of one workflow (start → result). */
  compile(shape: Shape): (input?: unknown) => Promise<number> {
    return async () => {
      const t0 = epochMs();
      switch (shape.kind) {
        case 'chain':
        case 'flow3': {
          const n = shape.kind === 'chain' ? shape.nodes : 3;
          const r = await chainWf(n);
          if (r !== n) throw new Error(`DBOS chain ran ${r} steps`);
          break;
        }
        case 'fanout': {
          const ok = await fanoutWf(shape.width);
          if (!ok) throw new Error('DBOS join did not see every branch');
          break;
        }
        case 'loop': {
          const r = await loopWf(shape.iterations);
          if (r !== shape.iterations) throw new Error(`DBOS loop ran ${r} iterations`);
          break;
        }
      }
      return epochMs() - t0;
    };
  }

  async close(): Promise<void> {
    if (!launched) return;
    launched = false;
    await DBOS.shutdown();
  }
}

/** The idle-in-transaction timeout DBOS sets on its system connections by default (its DEFAULT_IDLE_TRANSACTION_TIMEOUT_MS). */
const DBOS_IDLE_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * `url` with DBOS's idle-in-transaction timeout as a startup option. Without it DBOS sends `SET
 * idle_in_transaction_session_timeout` from its pool's `connect` listener, which pg queues behind nothing but ahead of
 * the borrower's first query on the same client — pg's "client is already executing a query" DeprecationWarning at
 * bench start. Given in the URL (`options=-c …`), DBOS adds no listener and the server applies it at connect.
 */
export function dbosSystemUrl(url: string): string {
  const u = new URL(url);
  const setting = `-c idle_in_transaction_session_timeout=${DBOS_IDLE_TRANSACTION_TIMEOUT_MS}`;
  const options = u.searchParams.get('options');
  u.searchParams.set('options', options ? `${options} ${setting}` : setting);
  return u.toString();
}
