import type { RouteInstaller } from '../app-context.ts';
import { ragRoutes } from './rag.ts';
import { specialStateRoutes } from './special-state.ts';

/**
 * The special-node and tool routes: memories, plans, milestones, run artifacts and RAG collections (see
 * special-state.ts and rag.ts). Independent of the orchestrator: everything is read from and written to PostgreSQL.
 */
export const specialRoutes: RouteInstaller = async (app, ctx) => {
  await specialStateRoutes(app, ctx);
  await ragRoutes(app, ctx);
};
