export * from './ports.ts';
export * from './event-bus.ts';
export * from './orchestrator.ts';
export { RunActor, toErrorInfo } from './run-actor.ts';
export type { CommandMeta } from './run-actor.ts';
export * from './nodes/node-handler.ts';
export * from './nodes/builtin-handlers.ts';
export { evaluateCondition, evaluateConditions } from './conditions.ts';
export { InMemoryRunStore } from './in-memory-run-store.ts';
