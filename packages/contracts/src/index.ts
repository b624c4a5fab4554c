export * from './flowchart.ts';
export * from './run.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './schemas.ts';
export * from './executor-result.ts';
export * from './plan-keys.ts';
