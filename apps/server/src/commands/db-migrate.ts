import { openDatabase, redactUrl } from '@llmctl/store';
import { loadConfig } from '../config.ts';
import type { CommandContext } from '../cli.ts';

/** `llmctl db migrate [--data-dir .llmctl]`: applies pending migrations and exits. */
export async function dbMigrateCommand({ flags, out }: CommandContext): Promise<number> {
  const config = loadConfig(process.env, { dataDir: flags['data-dir'] as string | undefined });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = db.migrations?.applied ?? [];
    out(`database: ${db.embedded ? `embedded PostgreSQL in ${db.dataDir}` : redactUrl(db.url)}`);
    out(applied.length > 0 ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date (nothing to apply)');
    return 0;
  } finally {
    await db.close();
  }
}
