/**
 * Generates `packages/store/src/db/schema.ts`, the database types of the store's typed SQL (Kysely), from the schema
 * the migrations build: `npm run db:types`. It starts a private embedded PostgreSQL (or uses LLMCTL_TEST_DATABASE_URL /
 * DATABASE_URL, where it only creates and drops a scratch database), migrates a scratch database, runs kysely-codegen
 * against it and writes the file. A test (`db-types-match-the-migrations.test.ts`) regenerates into memory and fails
 * when the committed file differs.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The committed, generated types file. */
export const DB_TYPES_FILE = fileURLToPath(new URL('../src/db/schema.ts', import.meta.url));

const CODEGEN = fileURLToPath(new URL('../../../node_modules/.bin/kysely-codegen', import.meta.url));

/**
 * How PostgreSQL types come back from the store's pools (`LLMCTL_PG_TYPES` in pool.ts): `bigint` as a number,
 * `timestamptz` / `timestamp` as an ISO 8601 string. jsonb is parsed by `pg` (kysely-codegen's `Json` type).
 */
const TYPE_MAPPING = { int8: 'number', timestamptz: 'string', timestamp: 'string' };

const HEADER = [
  '// generated, do not edit: `npm run db:types` (packages/store/scripts/gen-db-types.ts) writes this file from the',
  '// schema of packages/store/migrations, with kysely-codegen.',
  '',
].join('\n');

/** Makes the output independent of the codegen run (line endings, trailing blanks), under the fixed header. */
export function normaliseDbTypes(text: string): string {
  const body = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').trim();
  return `${HEADER}\n${body}\n`;
}

/** Runs kysely-codegen against the (migrated) database at `url` and returns the normalised types file. */
export async function generateDbTypes(url: string): Promise<string> {
  const args = ['--dialect', 'postgres', '--url', 'env(LLMCTL_CODEGEN_URL)', '--print', '--log-level', 'error',
    '--type-mapping', JSON.stringify(TYPE_MAPPING), '--exclude-pattern', 'schema_migrations'];
  // The URL (with its password) goes through the environment, not the process list.
  const child = spawn(CODEGEN, args, { env: { ...process.env, LLMCTL_CODEGEN_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`kysely-codegen exited with ${code}: ${err.trim()}`);
  return normaliseDbTypes(out);
}

async function main(): Promise<void> {
  const { startTestCluster } = (await import('../../../scripts/test-cluster.mjs')) as {
    startTestCluster(): Promise<{ url: string; stop(): Promise<void> }>;
  };
  const { createPool, createScratchDatabase, migrate } = await import('../src/index.ts');
  const cluster = await startTestCluster();
  try {
    const scratch = await createScratchDatabase(cluster.url, 'llmctl_types_');
    try {
      const pool = createPool(scratch.url, { max: 1 });
      try {
        await migrate(pool);
      } finally {
        await pool.end();
      }
      await writeFile(DB_TYPES_FILE, await generateDbTypes(scratch.url));
      process.stdout.write(`wrote ${DB_TYPES_FILE}\n`);
    } finally {
      await scratch.drop();
    }
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
