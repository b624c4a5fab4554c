/** Helpers shared by the port contract suites. */
import { randomUUID } from 'node:crypto';

/** A factory of a fresh adapter (each test calls it once). */
export type AdapterFactory<T> = () => T | Promise<T>;

/** Options of the suites whose records reference runs (foreign keys in PostgreSQL). */
export interface ContractOptions {
  /** Creates a run the records can reference and returns its id (default: a random id, no row). */
  newRunId?: () => string | Promise<string>;
}

/** A unique id with a readable prefix, so suites can share a database without cleanup. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A run id from the options, or a random one. */
export async function runIdFrom(options: ContractOptions): Promise<string> {
  return options.newRunId ? options.newRunId() : uniqueId('run');
}

/** A word no other test uses, for relevance tests on a shared store. */
export function uniqueWord(): string {
  return `w${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
