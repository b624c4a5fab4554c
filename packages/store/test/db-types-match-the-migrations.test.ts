import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { DB_TYPES_FILE, generateDbTypes } from '../scripts/gen-db-types.ts';

/** The first line where `a` and `b` differ, for the failure message. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i += 1) {
    if (la[i] !== lb[i]) return `line ${i + 1}: committed ${JSON.stringify(la[i] ?? '<end>')}, migrations give ${JSON.stringify(lb[i] ?? '<end>')}`;
  }
  return 'none';
}

test('the committed database types (src/db/schema.ts) are what kysely-codegen makes of the migrated schema', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  try {
    const fresh = await generateDbTypes(scratch.url);
    const committed = readFileSync(DB_TYPES_FILE, 'utf8');
    assert.ok(committed === fresh,
      `packages/store/src/db/schema.ts is stale (a migration changed the schema): run npm run db:types and commit it.\n` +
      `First difference at ${firstDifference(committed, fresh)}`);
  } finally {
    await scratch.drop();
  }
});
