/**
 * Before every git call the workspace repository is checked and its configuration reset to a content we own, because
 * a repository's own config can make git execute programs (filters, textconv, diff/merge drivers, fsmonitor, hooks
 * path, ssh command, pager, editor, credential helpers, includes…) and `-c` cannot switch off drivers whose names we
 * do not know. Refused (`git_repository_unsafe`): a `.git` that is a symlink or a file (gitdir pointer), a linked
 * worktree (`commondir`), a hook that could run.
 */
import { LlmctlError } from '@llmctl/contracts';
import { constants } from 'node:fs';
import { lstat, open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The only configuration a workspace repository keeps (sha256 repositories keep their object format). */
export function safeGitConfig(sha256: boolean): string {
  return [
    '[core]',
    `\trepositoryformatversion = ${sha256 ? 1 : 0}`,
    '\tfilemode = true',
    '\tbare = false',
    '\tlogallrefupdates = true',
    ...(sha256 ? ['[extensions]', '\tobjectformat = sha256'] : []),
    '',
  ].join('\n');
}

function unsafe(root: string, reason: string, message: string): LlmctlError {
  return new LlmctlError('git_repository_unsafe', message, { reason, workspace: path.basename(root) });
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes `content` to `file` without following a planted symlink or hardlink. */
async function replaceFile(file: string, content: string): Promise<void> {
  const info = await lstatOrNull(file);
  if (info && (!info.isFile() || info.nlink > 1)) await unlink(file);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const handle = await open(file, info && info.isFile() && info.nlink === 1 ? flags : flags | constants.O_EXCL, 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/**
 * Checks the repository of the workspace whose real path is `root`. Returns false when it has no `.git` (git then
 * finds no repository), true when it is safe to run git; throws `git_repository_unsafe` otherwise. The config is
 * rewritten to {@link safeGitConfig} whenever it differs.
 */
export async function guardRepository(root: string): Promise<boolean> {
  const gitDir = path.join(root, '.git');
  const info = await lstatOrNull(gitDir);
  if (!info) return false;
  if (info.isSymbolicLink()) throw unsafe(root, 'git_dir_symlink', '.git is a symlink; git is not run');
  if (!info.isDirectory()) throw unsafe(root, 'git_dir_not_directory', '.git is not a directory (a gitdir pointer?); git is not run');
  if (await lstatOrNull(path.join(gitDir, 'commondir'))) throw unsafe(root, 'linked_worktree', '.git is a linked worktree; git is not run');
  const hooks = await lstatOrNull(path.join(gitDir, 'hooks'));
  if (hooks?.isSymbolicLink()) throw unsafe(root, 'hook', '.git/hooks is a symlink; git is not run');
  if (hooks?.isDirectory()) {
    for (const name of await readdir(path.join(gitDir, 'hooks'))) {
      if (name.endsWith('.sample')) continue;
      const hook = await lstat(path.join(gitDir, 'hooks', name));
      if (hook.isSymbolicLink() || (hook.isFile() && (hook.mode & 0o111) !== 0)) {
        throw unsafe(root, 'hook', `.git/hooks/${name} could be executed; git is not run`);
      }
    }
  }
  const configFile = path.join(gitDir, 'config');
  const current = await lstatOrNull(configFile);
  const text = current?.isFile() ? await readFile(configFile, 'utf8').catch(() => '') : '';
  const wanted = safeGitConfig(/objectformat\s*=\s*sha256/i.test(text));
  if (!current?.isFile() || current.nlink > 1 || text !== wanted) await replaceFile(configFile, wanted);
  return true;
}
