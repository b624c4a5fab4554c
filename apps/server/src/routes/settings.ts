import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { requireObjectBody } from './params.ts';
import { assertCutoverChange } from './cutover.ts';

/** `GET/PUT /api/settings/runtime`: executor backend, image tags, timeouts, guardrail defaults. */
export const settingsRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/settings/runtime', async (_req, reply) => ok(reply, await ctx.repos.settings.getRuntime()));
  app.put('/api/settings/runtime', async (req, reply) => {
    const body = requireObjectBody(req.body);
    await assertCutoverChange(ctx, body); // 409 cutover_blocked (docs/migration/cutover.md)
    return ok(reply, await ctx.repos.settings.putRuntime(body));
  });
};
