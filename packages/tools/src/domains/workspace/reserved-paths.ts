/**
 * Git metadata is off limits to the workspace file tools: no path with a `.git` component (any case, also when reached
 * through a symlink) is read, written or listed, and `.gitattributes`, `.gitmodules` and `.gitconfig` are never written,
 * so no tool call can plant configuration that makes git execute a program (`workspace_path_forbidden`).
 */
import { LlmctlError } from '@llmctl/contracts';

const GIT_DIR = '.git';
const GIT_FILES = new Set(['.gitattributes', '.gitmodules', '.gitconfig']);

function components(p: string): string[] {
  return p.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

/**
 * Throws `workspace_path_forbidden` when `requested` or its resolved form `relative` (relative to the workspace root)
 * has a `.git` component, or names a git configuration file and `writing` is true.
 */
export function checkReservedPath(requested: string, relative: string, writing: boolean): void {
  for (const p of [requested, relative]) {
    const parts = components(p).map((c) => c.toLowerCase());
    // Trailing dots and spaces are ignored by some file systems (".git." is ".git" on them).
    if (parts.some((c) => c.replace(/[. ]+$/, '') === GIT_DIR)) {
      throw new LlmctlError('workspace_path_forbidden', `"${requested}" is inside the git metadata directory (.git), which tools may not touch`, {
        path: requested,
        reason: 'git_metadata',
      });
    }
    const last = parts.at(-1);
    if (writing && last !== undefined && GIT_FILES.has(last.replace(/[. ]+$/, ''))) {
      throw new LlmctlError('workspace_path_forbidden', `"${requested}" is a git configuration file, which tools may not write`, {
        path: requested,
        reason: 'git_config_file',
      });
    }
  }
}
