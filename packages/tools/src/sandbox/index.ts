/** The tool sandbox: every tool process (git, run_command) starts through `runSandboxed`. */
export * from './sandbox-mode.ts';
export * from './bwrap-profile.ts';
export * from './run-sandboxed.ts';
export * from './process-runner.ts';
