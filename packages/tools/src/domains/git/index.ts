/** The git domain: status, diff, commit and branch on the workspace repository. */
export * from './git-runner.ts';
export * from './git-repository-guard.ts';
export * from './git-status.ts';
export * from './git-tools.ts';
