/**
 * PostgreSQL adapters of the `@llmctl/tools` ports (ledger, artifacts, audit, memory, plan, milestone, RAG) and the
 * read side of special-node state for the API. Each adapter passes the tools contract suites.
 */
import type pg from 'pg';
import type { ArtifactSink, AuditSink, ToolLedger, ToolStores } from '@llmctl/tools';
import { PgArtifactSink } from './artifact-sink.ts';
import { PgAuditSink } from './audit-sink.ts';
import { PgMemoryStore } from './memory-store.ts';
import { PgMilestoneStore } from './milestone-store.ts';
import { PgPlanStore } from './plan-store.ts';
import { PgRagStore } from './rag-store.ts';
import { PgToolLedger } from './tool-ledger.ts';

export { PgToolLedger } from './tool-ledger.ts';
export { PgArtifactSink, toArtifact } from './artifact-sink.ts';
export { PgAuditSink } from './audit-sink.ts';
export { PgMemoryStore } from './memory-store.ts';
export { PgPlanStore } from './plan-store.ts';
export { PgMilestoneStore } from './milestone-store.ts';
export { PgRagStore } from './rag-store.ts';
export { queryWords } from './full-text.ts';
export {
  SpecialStateRepository, MEMORY_SORTS, PLAN_SORTS, MILESTONE_SORTS, ARTIFACT_SORTS, RAG_COLLECTION_SORTS,
} from './special-state-repository.ts';
export type { SpecialStateFilter } from './special-state-repository.ts';

/** Every tool port on one pool: the framework ports and the special-node stores. */
export interface PgToolPorts {
  ledger: ToolLedger;
  artifacts: ArtifactSink;
  audit: AuditSink;
  stores: ToolStores;
}

/** The PostgreSQL adapters of every tool port on `pool`. */
export function createPgToolPorts(pool: pg.Pool): PgToolPorts {
  return {
    ledger: new PgToolLedger(pool),
    artifacts: new PgArtifactSink(pool),
    audit: new PgAuditSink(pool),
    stores: { memory: new PgMemoryStore(pool), plan: new PgPlanStore(pool), milestone: new PgMilestoneStore(pool), rag: new PgRagStore(pool) },
  };
}
