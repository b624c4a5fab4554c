/** The milestone domain: the `milestone` tool and its store port. */
export * from './milestone-store.ts';
export * from './milestone-tool.ts';
