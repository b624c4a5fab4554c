/** The images whose app layer {@link assemble} builds, and what each holds. */
export declare const IMAGES: Record<'server' | 'executor-frontier' | 'executor-vllm', { studio: boolean; samples: boolean }>;
/** Assembles `image`'s app layer into `outDir` (emptied first); resolves with `outDir`. */
export declare function assemble(image: 'server' | 'executor-frontier' | 'executor-vllm', outDir: string): Promise<string>;
