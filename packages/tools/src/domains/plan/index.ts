/** The plan domain: the `plan` tool and its store port. */
export * from './plan-store.ts';
export * from './plan-tool.ts';
