/**
 * Opening workspace files safely: only regular files, opened with O_NOFOLLOW | O_NONBLOCK (a FIFO, socket or device
 * never blocks a libuv thread), checked with lstat before and fstat after opening (same inode), and refused
 * (`workspace_file_unsupported`) when hardlinked (link count > 1) or on another device than the workspace.
 */
import { LlmctlError } from '@llmctl/contracts';
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice()) return 'character_device';
  if (info.isBlockDevice()) return 'block_device';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  return 'other';
}

function unsupported(relative: string, reason: string, message: string): LlmctlError {
  return new LlmctlError('workspace_file_unsupported', message, { path: relative, reason });
}

/** Throws `workspace_file_unsupported` unless `info` is a regular, single-link file on the workspace's device. */
export function checkRegularFile(info: Stats, rootDev: number, relative: string): void {
  if (!info.isFile()) throw unsupported(relative, kindOf(info), `"${relative}" is not a regular file (${kindOf(info)})`);
  if (info.nlink > 1) throw unsupported(relative, 'hardlink', `"${relative}" has ${info.nlink} hard links; hardlinked files are refused`);
  if (info.dev !== rootDev) throw unsupported(relative, 'other_device', `"${relative}" lies on another device than the workspace`);
}

/**
 * Opens the existing regular file `absolute` with `flags` (O_NOFOLLOW and O_NONBLOCK are added), or throws. `root` is
 * the workspace's real path (its device is the only one allowed). The caller closes the handle.
 */
export async function openRegularFile(absolute: string, root: string, relative: string, flags: number): Promise<{ handle: FileHandle; info: Stats }> {
  const rootDev = (await stat(root)).dev;
  const before = await lstat(absolute);
  checkRegularFile(before, rootDev, relative);
  let handle: FileHandle;
  try {
    handle = await open(absolute, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new LlmctlError('path_outside_workspace', `"${relative}" is a symlink`, { path: relative, reason: 'symlink' });
    }
    throw err;
  }
  try {
    const info = await handle.stat();
    checkRegularFile(info, rootDev, relative);
    if (info.ino !== before.ino || info.dev !== before.dev) throw unsupported(relative, 'replaced', `"${relative}" changed while it was opened`);
    return { handle, info };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
