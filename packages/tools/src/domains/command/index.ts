/** The command domain: sandboxed program execution. */
export * from './command-policy.ts';
export * from '../../sandbox/process-runner.ts';
export * from './command-tool.ts';
