/** The deterministic tool framework. */
export * from './json-schema.ts';
export * from './types.ts';
export * from './ports.ts';
export * from './define-tool.ts';
export * from './tool-registry.ts';
export * from './invoke-tool.ts';
export * from './in-memory-ports.ts';
export * from './tool-port-adapter.ts';
