/** `read_file` and `write_file`: file contents inside the run workspace. */
import { LlmctlError } from '@llmctl/contracts';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import { openRegularFile } from './regular-file.ts';
import { checkReservedPath } from './reserved-paths.ts';
import { resolveWorkspacePath } from './workspace-paths.ts';

/** Limits of the workspace file tools. */
export interface WorkspaceToolOptions extends DomainToolOptions {
  /** Largest read returned (default 1 MiB); longer files are truncated. */
  max_read_bytes?: number;
  /** Largest write accepted (default 10 MiB). */
  max_write_bytes?: number;
  /** Most entries `list_files` returns / matches `search_files` returns (default 1000 / 200). */
  max_entries?: number;
  max_matches?: number;
}

/** Input of `read_file`. */
export interface ReadFileInput { path: string; encoding?: 'utf8' | 'base64'; max_bytes?: number }
/** Output of `read_file`. */
export interface ReadFileOutput { path: string; content: string; encoding: 'utf8' | 'base64'; size: number; truncated: boolean }
/** Input of `write_file`. */
export interface WriteFileInput {
  path: string;
  content: string;
  encoding?: 'utf8' | 'base64';
  mode?: 'overwrite' | 'append' | 'create';
  create_dirs?: boolean;
}
/** Output of `write_file`. */
export interface WriteFileOutput { path: string; bytes_written: number; size: number; sha256: string }

const pathProp = { type: 'string', minLength: 1, maxLength: 4096, description: 'Path relative to the workspace root' };
const encodingProp = { enum: ['utf8', 'base64'], description: 'Content encoding (default utf8)' };

/** The `read_file` tool. */
export function readFileTool(options: WorkspaceToolOptions = {}): Tool<ReadFileInput, ReadFileOutput> {
  const maxRead = options.max_read_bytes ?? 1024 * 1024;
  return defineTool<ReadFileInput, ReadFileOutput>({
    name: 'read_file',
    description: 'Read a file of the run workspace (text by default, or base64).',
    input_schema: {
      type: 'object',
      required: ['path'],
      additionalProperties: false,
      properties: { path: pathProp, encoding: encodingProp, max_bytes: { type: 'integer', minimum: 1 } },
    },
    output_schema: {
      type: 'object',
      required: ['path', 'content', 'encoding', 'size', 'truncated'],
      additionalProperties: false,
      properties: {
        path: { type: 'string' },
        content: { type: 'string' },
        encoding: encodingProp,
        size: { type: 'integer', minimum: 0 },
        truncated: { type: 'boolean' },
      },
    },
    side_effect: 'read',
    retry: options.retry ?? { max_attempts: 2, backoff_ms: 50 },
    timeout_ms: options.timeout_ms ?? 10_000,
    async run(input, ctx) {
      const target = await resolveWorkspacePath(ctx.workspace_dir, input.path);
      checkReservedPath(input.path, target.relative, false);
      if (!target.exists) throw new LlmctlError('tool_failed', `File "${target.relative}" does not exist`, { path: target.relative, reason: 'not_found' });
      const { handle, info } = await openRegularFile(target.absolute, target.root, target.relative, constants.O_RDONLY);
      try {
        const limit = Math.min(input.max_bytes ?? maxRead, maxRead);
        const length = Math.min(info.size, limit);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        const encoding = input.encoding ?? 'utf8';
        return {
          path: target.relative,
          content: buffer.subarray(0, bytesRead).toString(encoding),
          encoding,
          size: info.size,
          truncated: info.size > bytesRead,
        };
      } finally {
        await handle.close();
      }
    },
  });
}

/**
 * Opens `absolute` for a write in `mode`: a new file is created exclusively (never through a symlink, FIFO or
 * device); an existing one must be a regular single-link file of the workspace, and is truncated only after the check.
 */
async function openForWrite(absolute: string, root: string, relative: string, mode: 'overwrite' | 'append' | 'create'): Promise<FileHandle> {
  const exists = await lstat(absolute).then(() => true, () => false);
  if (exists && mode === 'create') throw new LlmctlError('tool_conflict', `File "${relative}" already exists`, { path: relative });
  if (!exists) {
    try {
      return await open(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new LlmctlError('tool_conflict', `File "${relative}" appeared while it was written`, { path: relative });
      throw err;
    }
  }
  const { handle } = await openRegularFile(absolute, root, relative, constants.O_WRONLY | (mode === 'append' ? constants.O_APPEND : 0));
  if (mode === 'overwrite') await handle.truncate(0);
  return handle;
}

/** The `write_file` tool; emits a `workspace_file` artifact describing the write. */
export function writeFileTool(options: WorkspaceToolOptions = {}): Tool<WriteFileInput, WriteFileOutput> {
  const maxWrite = options.max_write_bytes ?? 10 * 1024 * 1024;
  return defineTool<WriteFileInput, WriteFileOutput>({
    name: 'write_file',
    description: 'Write (overwrite, append or create) a file of the run workspace; parent directories are created.',
    input_schema: {
      type: 'object',
      required: ['path', 'content'],
      additionalProperties: false,
      properties: {
        path: pathProp,
        content: { type: 'string' },
        encoding: encodingProp,
        mode: { enum: ['overwrite', 'append', 'create'], description: 'create fails when the file exists' },
        create_dirs: { type: 'boolean' },
      },
    },
    output_schema: {
      type: 'object',
      required: ['path', 'bytes_written', 'size', 'sha256'],
      additionalProperties: false,
      properties: {
        path: { type: 'string' },
        bytes_written: { type: 'integer', minimum: 0 },
        size: { type: 'integer', minimum: 0 },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
    side_effect: 'write',
    retry: options.retry ?? { max_attempts: 2, backoff_ms: 50 },
    timeout_ms: options.timeout_ms ?? 10_000,
    async run(input, ctx) {
      const data = Buffer.from(input.content, input.encoding ?? 'utf8');
      if (data.length > maxWrite) {
        throw new LlmctlError('tool_input_invalid', `Content is ${data.length} bytes, over the ${maxWrite}-byte limit`, { limit: maxWrite });
      }
      let target = await resolveWorkspacePath(ctx.workspace_dir, input.path);
      checkReservedPath(input.path, target.relative, true);
      if (target.relative === '.') throw new LlmctlError('tool_failed', 'Cannot write the workspace root', { path: input.path });
      if (input.create_dirs !== false) {
        await mkdir(path.dirname(target.absolute), { recursive: true });
        target = await resolveWorkspacePath(ctx.workspace_dir, input.path); // the created parents are still confined
        checkReservedPath(input.path, target.relative, true);
      }
      const mode = input.mode ?? 'overwrite';
      const handle = await openForWrite(target.absolute, target.root, target.relative, mode);
      let size: number;
      try {
        await handle.writeFile(data);
        size = (await handle.stat()).size;
      } finally {
        await handle.close();
      }
      const sha256 = createHash('sha256').update(data).digest('hex');
      ctx.emitArtifact({
        kind: 'workspace_file',
        name: target.relative,
        content: { path: target.relative, operation: mode, bytes_written: data.length, size, sha256 },
      });
      return { path: target.relative, bytes_written: data.length, size, sha256 };
    },
  });
}
