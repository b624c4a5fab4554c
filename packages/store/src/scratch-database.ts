import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throw-away database on a cluster (tests, dry runs). */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops it, ending any connections still open to it. */
  drop(): Promise<void>;
}

async function onAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Creates an empty database named `<prefix><random>` on the cluster of `adminUrl` (a URL whose user may CREATE
 * DATABASE) and returns its URL.
 */
export async function createScratchDatabase(adminUrl: string, prefix = 't_'): Promise<ScratchDatabase> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await onAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    name,
    url,
    drop: () => onAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
