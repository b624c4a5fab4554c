/**
 * The Idempotency-Key ledger written in grouped statements (issue 17, "The HTTP path"): a keyed mutation claims its key
 * before it runs and records its response before it answers — two statements each. Concurrent requests' claims (and
 * their completions) go to PostgreSQL together: the first goes at once, the ones that arrive while a statement is in
 * flight wait for it and then go as one statement (`IdempotencyRepository.claimMany` / `completeMany`). A quiet
 * server's request waits for nothing; 200 concurrent keyed requests cost a handful of ledger statements, not 400.
 */
import type { IdempotencyRepository } from '@llmctl/store';

/** Items sent together by one statement; items with the same `id` never share one (the next statement takes them). */
class Group<T extends { id: string }, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;

  constructor(private readonly send: (items: T[]) => Promise<(item: T) => R>) {}

  /** Items waiting for the statement in flight (tests). */
  get waiting(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const ids = new Set<string>();
      const batch: typeof this.queue = [];
      const later: typeof this.queue = [];
      for (const q of this.queue) {
        if (ids.has(q.item.id)) later.push(q);
        else {
          ids.add(q.item.id);
          batch.push(q);
        }
      }
      this.queue = later;
      try {
        const answer = await this.send(batch.map((q) => q.item));
        for (const q of batch) q.resolve(answer(q.item));
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    this.busy = false;
  }
}

type Claim = { id: string; scope: string; key: string; bodyHash: string };
type Completion = { id: string; scope: string; key: string; statusCode: number; responseJson: string };

/** See the file comment. */
export class LedgerBatcher {
  private readonly claims: Group<Claim, boolean>;
  private readonly completions: Group<Completion, undefined>;

  constructor(keys: Pick<IdempotencyRepository, 'claimMany' | 'completeMany'>) {
    this.claims = new Group(async (items) => {
      const won = await keys.claimMany(items);
      return (item) => won.has(`${item.scope}\n${item.key}`);
    });
    this.completions = new Group(async (items) => {
      await keys.completeMany(items);
      return () => undefined;
    });
  }

  /** Claims `key` in `scope` (see `IdempotencyRepository.claim`): true when this request holds it. */
  claim(scope: string, key: string, bodyHash: string): Promise<boolean> {
    return this.claims.submit({ id: `${scope}\n${key}`, scope, key, bodyHash });
  }

  /** Stores the response of a claimed key. */
  complete(scope: string, key: string, statusCode: number, responseJson: string): Promise<void> {
    return this.completions.submit({ id: `${scope}\n${key}`, scope, key, statusCode, responseJson });
  }

  /** Claims waiting for the claim statement in flight (tests). */
  get waitingClaims(): number {
    return this.claims.waiting;
  }
}
