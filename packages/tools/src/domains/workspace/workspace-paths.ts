/**
 * Confinement of paths to the run workspace. A path is refused (`path_outside_workspace`) when it is absolute, has a
 * `..` segment, or resolves (through symlinks, checked with realpath — for a path that does not exist yet, through
 * its nearest existing ancestor) outside the workspace's real path. Dangling symlinks are refused too.
 */
import { LlmctlError } from '@llmctl/contracts';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/** A path inside the workspace: its resolved absolute form and its form relative to the workspace root. */
export interface WorkspacePath {
  /** Absolute, symlinks resolved (for missing parts: the resolved ancestor plus the missing segments). */
  absolute: string;
  /** Relative to the workspace root, `/`-separated; `.` for the root itself. */
  relative: string;
  /** The real path of the workspace root. */
  root: string;
  /** False when the path does not exist (yet). */
  exists: boolean;
}

function outside(requested: string, reason: string): LlmctlError {
  return new LlmctlError('path_outside_workspace', `Path "${requested}" is outside the workspace: ${reason}`, {
    path: requested,
    reason,
  });
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Refuses absolute paths, `..` segments, empty paths and NUL bytes, without touching the file system. */
export function checkRelativePath(requested: string): void {
  if (requested.includes('\0')) throw new LlmctlError('tool_input_invalid', 'A path must not contain NUL bytes', { path: requested });
  if (requested.length === 0) throw new LlmctlError('tool_input_invalid', 'A path must not be empty', { path: requested });
  if (path.isAbsolute(requested) || path.win32.isAbsolute(requested)) throw outside(requested, 'absolute paths are not allowed');
  if (requested.split(/[\\/]+/).includes('..')) throw outside(requested, '".." segments are not allowed');
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Resolves `requested` (relative to `workspace_dir`) to a confined path, or throws `path_outside_workspace`. */
export async function resolveWorkspacePath(workspace_dir: string, requested: string): Promise<WorkspacePath> {
  checkRelativePath(requested);
  const root = await realpath(workspace_dir);
  const candidate = path.resolve(root, requested);
  if (!isInside(root, candidate)) throw outside(requested, 'it leaves the workspace');
  const missing: string[] = [];
  let current = candidate;
  for (;;) {
    try {
      await lstat(current);
    } catch (err) {
      const code = errnoOf(err);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && current !== root) {
        missing.unshift(path.basename(current));
        current = path.dirname(current);
        continue;
      }
      throw err;
    }
    let real: string;
    try {
      real = await realpath(current);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ELOOP') throw outside(requested, 'it goes through a dangling symlink');
      throw err;
    }
    const absolute = path.join(real, ...missing);
    if (!isInside(root, real) || !isInside(root, absolute)) throw outside(requested, 'it resolves outside the workspace');
    const relative = path.relative(root, absolute).split(path.sep).join('/') || '.';
    return { absolute, relative, root, exists: missing.length === 0 };
  }
}
