/** The memory domain: the `memory` tool and its store port. */
export * from './memory-store.ts';
export * from './memory-tool.ts';
