export * from './validation/index.ts';
export * from './graph.ts';
export * from './template.ts';
export * from './run/index.ts';
export * from './projection/fold.ts';
export * from './projection/views.ts';
