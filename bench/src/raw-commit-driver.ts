import pg from 'pg';
import type { Shape } from './workloads.ts';
import { epochMs } from './stats.ts';

/**
 * The floor every durable engine stands on: one work node = one fsync'd one-row INSERT + COMMIT (autocommit) on the
 * same PostgreSQL, nothing else. A chain or a loop commits one after another; a fan-out commits its N branches
 * concurrently through the pool (10 connections, like the others), then the join.
 */
export class RawCommitDriver {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, o: { poolMax?: number } = {}): Promise<RawCommitDriver> {
    const pool = new pg.Pool({ connectionString: url, max: o.poolMax ?? 10 });
    await pool.query('CREATE TABLE IF NOT EXISTS bench_raw_commit (id bigserial PRIMARY KEY, run int NOT NULL, v jsonb NOT NULL)');
    return new RawCommitDriver(pool);
  }

  private commit(): Promise<unknown> {
    return this.pool.query(`INSERT INTO bench_raw_commit (run, v) VALUES (1, '{"ok":true}')`);
  }

  /** Runner of a shape: resolves with its wall time in ms. */
  compile(shape: Shape): (input?: unknown) => Promise<number> {
    return async () => {
      const t0 = epochMs();
      if (shape.kind === 'fanout') {
        await Promise.all(Array.from({ length: shape.width }, () => this.commit()));
        await this.commit();
      } else {
        const n = shape.kind === 'chain' ? shape.nodes : shape.kind === 'loop' ? shape.iterations * 2 : 3;
        for (let i = 0; i < n; i++) await this.commit();
      }
      return epochMs() - t0;
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
