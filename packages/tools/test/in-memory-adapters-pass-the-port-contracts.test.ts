import {
  InMemoryArtifactSink,
  InMemoryAuditSink,
  InMemoryMemoryStore,
  InMemoryMilestoneStore,
  InMemoryPlanStore,
  InMemoryRagStore,
  InMemoryToolLedger,
} from '../src/index.ts';
import {
  runArtifactSinkContract,
  runAuditSinkContract,
  runMemoryStoreContract,
  runMilestoneStoreContract,
  runPlanStoreContract,
  runRagStoreContract,
  runToolLedgerContract,
} from '@llmctl/tools/testing';

runToolLedgerContract(() => new InMemoryToolLedger());
runArtifactSinkContract(() => new InMemoryArtifactSink());
runAuditSinkContract(() => new InMemoryAuditSink());
runMemoryStoreContract(() => new InMemoryMemoryStore());
runPlanStoreContract(() => new InMemoryPlanStore());
runMilestoneStoreContract(() => new InMemoryMilestoneStore());
runRagStoreContract(() => new InMemoryRagStore());
