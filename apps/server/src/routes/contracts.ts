import { LlmctlError, SCHEMA_NAMES, getSchema, schemaName } from '@llmctl/contracts';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';

/** `GET /api/contracts` (the published JSON Schemas) and `GET /api/contracts/:name` (`.schema.json` suffix accepted). */
export const contractRoutes: RouteInstaller = async (app) => {
  app.get('/api/contracts', async (_req, reply) =>
    ok(reply, SCHEMA_NAMES.map((name) => ({ name, url: `/api/contracts/${name}.schema.json` }))));

  app.get<{ Params: { name: string } }>('/api/contracts/:name', async (req, reply) => {
    const schema = getSchema(req.params.name);
    if (!schema) {
      throw new LlmctlError('not_found', `No published contract "${schemaName(req.params.name).slice(0, 100)}".`, {
        available: SCHEMA_NAMES,
      });
    }
    return ok(reply, schema);
  });
};
