import type pg from 'pg';
import { FencedError } from '@llmctl/runtime';
import { COMMIT_SQL, commitParams, commitQuery, type EncodedCommit } from './commit-statement.ts';

/** Counters of a {@link GroupCommitter} (tests and the benchmark read them). */
export interface GroupCommitStats {
  /** Commits submitted and answered (committed, fenced or failed). */
  commits: number;
  /** Statements (= transactions) sent, including the one-by-one retries after a failed batch. */
  transactions: number;
  /** Batches of more than one run that failed as a whole and were retried one run at a time. */
  split_batches: number;
  /** The most runs committed by one statement. */
  largest_batch: number;
}

/** Options of a {@link GroupCommitter}. */
export interface GroupCommitOptions {
  /** Most runs per statement (default 100). */
  maxBatch?: number;
  /**
   * Statements in flight at once (default 2: later commits collect while two are in flight; the second overlaps the
   * first one's WAL flush — measured faster than 1 in bench/src/group-commit-bench.ts).
   */
  maxInFlight?: number;
  /**
   * Send each batch as the statement of its shape (default true; commit-sql.ts). False sends every batch of existing
   * runs as the statement with every arm (COMMIT_SQL), as before session 4: for the benchmark's A/B only.
   */
  shapedStatements?: boolean;
}

interface Pending {
  c: EncodedCommit;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit across runs: a commit goes to PostgreSQL at once when fewer than `maxInFlight` statements are in
 * flight; commits submitted meanwhile collect and go together as ONE statement (one transaction, one WAL flush). No timer: a lone
 * commit is sent immediately, a batch holds only what was already waiting. Each run stays fenced on its own (a fenced
 * run gets its FencedError, the others commit); a statement that fails as a whole (a value PostgreSQL cannot store, a
 * constraint, a lost connection) is retried one run at a time, so each caller gets its own run's outcome. A caller's
 * promise settles only after the statement holding its data returned, i.e. after its COMMIT.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private readonly busyRuns = new Set<string>();
  private inFlight = 0;
  private maxBatch = 100;
  private maxInFlight = 2;
  private shaped = true;
  readonly stats: GroupCommitStats = { commits: 0, transactions: 0, split_batches: 0, largest_batch: 0 };

  constructor(private readonly pool: pg.Pool, o: GroupCommitOptions = {}) {
    this.configure(o);
  }

  /**
   * Changes the limits (the benchmark compares settings in one process). `{ maxBatch: 1, maxInFlight: pool size }` is
   * the behaviour without group commit: every commit its own statement, as many in parallel as the pool allows.
   */
  configure(o: GroupCommitOptions): void {
    if (o.maxBatch !== undefined) this.maxBatch = Math.max(1, o.maxBatch);
    if (o.maxInFlight !== undefined) this.maxInFlight = Math.max(1, o.maxInFlight);
    if (o.shapedStatements !== undefined) this.shaped = o.shapedStatements;
    this.pump();
  }

  /** Queues one run's commit; settles after its transaction committed (FencedError when the run was fenced). */
  submit(c: EncodedCommit): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ c, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight += 1;
      void this.send(batch).finally(() => {
        for (const p of batch) this.busyRuns.delete(p.c.runId);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest queued commits, at most one per run (a run's later commit waits for the next statement). */
  private take(): Pending[] {
    const batch: Pending[] = [];
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch;) {
      const p = this.queue[i]!;
      if (this.busyRuns.has(p.c.runId)) {
        i += 1;
        continue;
      }
      this.busyRuns.add(p.c.runId);
      batch.push(p);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async send(batch: Pending[]): Promise<void> {
    try {
      this.settle(batch, await this.exec(batch));
    } catch (err) {
      if (batch.length === 1) {
        this.stats.commits += 1;
        batch[0]!.reject(err);
        return;
      }
      // The statement failed as a whole: each run alone (in parallel), so only the run at fault gets the error.
      this.stats.split_batches += 1;
      await Promise.all(batch.map(async (p) => {
        try {
          this.settle([p], await this.exec([p]));
        } catch (e) {
          this.stats.commits += 1;
          p.reject(e);
        }
      }));
    }
  }

  private async exec(batch: Pending[]): Promise<Set<string>> {
    this.stats.transactions += 1;
    this.stats.largest_batch = Math.max(this.stats.largest_batch, batch.length);
    // Runs in id order (the statement itself locks the run rows in id order, see commit-sql.ts's `lk`).
    const commits = batch.map((p) => p.c).sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    const everyArm = !this.shaped && commits.every((c) => !c.create);
    const res = await this.pool.query(everyArm ? { name: 'llmctl_commit_v3_all', text: COMMIT_SQL, values: commitParams(commits) } : commitQuery(commits));
    return new Set((res.rows[0] as { ids: string[] }).ids);
  }

  private settle(batch: Pending[], committed: Set<string>): void {
    for (const p of batch) {
      this.stats.commits += 1;
      if (committed.has(p.c.runId)) p.resolve();
      else p.reject(new FencedError(p.c.runId));
    }
  }
}
