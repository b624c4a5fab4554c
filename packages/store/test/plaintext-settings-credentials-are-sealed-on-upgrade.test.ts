import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CredentialRepository, ModelRepository, SecretBox } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';

const SECRET = 'Bearer legacy-plaintext-header-0a0b0c0d-1234';

test('credentials left in plain text in model and provider settings (rows from before sealing) are sealed and masked, and still usable', async () => {
  const db = await openTestPool();
  try {
    const box = new SecretBox(randomBytes(32));
    await db.pool.query(`INSERT INTO models (id, name, provider, model, settings) VALUES ('mdl_legacy', 'legacy', 'openai', 'x', $1),
      ('mdl_script', 'script', 'scripted', 'scripted', '{"responses":[{"output":"k"}]}')`, [JSON.stringify({ headers: { Authorization: SECRET }, temperature: 0 })]);
    await db.pool.query(`INSERT INTO provider_credentials (provider, settings) VALUES ('openai', $1)`, [JSON.stringify({ headers: { 'x-token': SECRET } })]);
    const models = new ModelRepository(db.pool, box);
    const creds = new CredentialRepository(db.pool, box);
    assert.equal(await models.sealPlaintextCredentials(), 1);
    assert.equal(await creds.sealPlaintextCredentials(), 1);
    assert.equal(await models.sealPlaintextCredentials(), 0, 'idempotent');
    const dump = JSON.stringify((await db.pool.query(`SELECT (SELECT json_agg(m::text) FROM models m) AS m, (SELECT json_agg(p::text) FROM provider_credentials p) AS p`)).rows);
    assert.ok(!dump.includes('legacy-plaintext-header'), dump);
    assert.deepEqual((await models.get('mdl_legacy')).settings, { headers: { Authorization: 'Bearer …1234' }, temperature: 0 });
    assert.deepEqual((await models.secretsOf('mdl_legacy')).entries.map((e) => e.value), [SECRET]);
    assert.deepEqual((await creds.forProvider('openai'))!.settings, { headers: { 'x-token': SECRET } });
  } finally {
    await db.close();
  }
});
