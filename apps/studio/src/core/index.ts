/** React-free studio core: graph model, layout, history, clipboard, run state and API helpers. */
export * from './types.ts';
export * from './node-catalog.ts';
export * from './document-graph.ts';
export * from './layout.ts';
export * from './history.ts';
export * from './graph-ops.ts';
export * from './clipboard.ts';
export * from './editor-state.ts';
export * from './run-controls.ts';
export * from './run-state.ts';
export * from './event-sequencer.ts';
export * from './validation-issues.ts';
export * from './api-envelope.ts';
export * from './json-text.ts';
export * from './condition-check.ts';
export * from './format.ts';
export * from './model-form.ts';
