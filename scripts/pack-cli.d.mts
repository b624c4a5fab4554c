/** Stages `@llmctl/cli` (compiled CLI, migrations, studio, samples, shrinkwrap) and runs `npm pack` into `outDir`. */
export declare function packCli(outDir: string, stage?: string): Promise<string>;
/** The package-lock.json entries reachable from `names`, keyed by lockfile path. */
export declare function lockClosure(lock: { packages: Record<string, Record<string, unknown>> }, names: string[]): Map<string, Record<string, unknown>>;
