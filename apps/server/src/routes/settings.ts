import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { requireObjectBody } from './params.ts';

/** `GET/PUT /api/settings/runtime`: executor backend, image tags, timeouts, guardrail defaults. */
export const settingsRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/settings/runtime', async (_req, reply) => ok(reply, await ctx.repos.settings.getRuntime()));
  app.put('/api/settings/runtime', async (req, reply) => ok(reply, await ctx.repos.settings.putRuntime(requireObjectBody(req.body))));
};
