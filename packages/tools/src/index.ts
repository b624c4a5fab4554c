/**
 * @llmctl/tools — the deterministic tool framework (schema-validated, idempotent, retried, timed out, audited and
 * traced tool calls) and the tool domains: workspace, git, command, memory, plan, milestone, rag. Persistence is
 * reached only through ports; in-memory adapters live here, contract suites in `@llmctl/tools/testing`.
 */
export * from './framework/index.ts';
export * from './domains/workspace/index.ts';
export * from './domains/git/index.ts';
export * from './domains/command/index.ts';
export * from './sandbox/index.ts';
export * from './domains/memory/index.ts';
export * from './domains/plan/index.ts';
export * from './domains/milestone/index.ts';
export * from './domains/rag/index.ts';
export * from './default-registry.ts';
export { tokenize, overlapScore } from './shared/term-overlap.ts';
export { idFromKey } from './shared/ids.ts';
export type { DomainToolOptions } from './shared/tool-options.ts';
