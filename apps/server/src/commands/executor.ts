import { LlmctlError } from '@llmctl/contracts';
import { runExecutorPayload } from '@llmctl/executors';
import type { CommandContext } from '../cli.ts';

/**
 * `llmctl executor run --payload-file F`: the entrypoint of executor images (one node attempt per process). Prints
 * `LLMCTL_EXECUTOR_STARTED` first and exactly one `LLMCTL_EXECUTOR_RESULT_JSON=<json>` line last (a coded failure
 * line for a bad payload); nothing secret is taken from the command line or the environment.
 */
export async function executorRunCommand({ args, flags, out }: CommandContext): Promise<number> {
  if (args[0] !== undefined) throw new LlmctlError('validation_failed', `unknown executor action "${args[0]}"`);
  const file = typeof flags['payload-file'] === 'string' ? flags['payload-file'] : '';
  const abort = new AbortController();
  const onTerm = (): void => abort.abort(new LlmctlError('interrupted', 'the executor received SIGTERM'));
  process.once('SIGTERM', onTerm);
  try {
    return await runExecutorPayload(file, out, abort.signal);
  } finally {
    process.off('SIGTERM', onTerm);
  }
}
