/** `read_file` and `write_file`: file contents inside the run workspace. */
import { LlmctlError } from '@llmctl/contracts';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
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
      if (!target.exists) throw new LlmctlError('tool_failed', `File "${target.relative}" does not exist`, { path: target.relative, reason: 'not_found' });
      const handle = await open(target.absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new LlmctlError('tool_failed', `"${target.relative}" is not a regular file`, { path: target.relative });
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
      const target = await resolveWorkspacePath(ctx.workspace_dir, input.path);
      if (target.relative === '.') throw new LlmctlError('tool_failed', 'Cannot write the workspace root', { path: input.path });
      if (input.create_dirs !== false) {
        await mkdir(path.dirname(target.absolute), { recursive: true });
        await resolveWorkspacePath(ctx.workspace_dir, input.path); // the created parents are still confined
      }
      const mode = input.mode ?? 'overwrite';
      const flags =
        constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW |
        (mode === 'append' ? constants.O_APPEND : mode === 'create' ? constants.O_EXCL : constants.O_TRUNC);
      let handle;
      try {
        handle = await open(target.absolute, flags, 0o644);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new LlmctlError('tool_conflict', `File "${target.relative}" already exists`, { path: target.relative });
        if (code === 'ELOOP') throw new LlmctlError('path_outside_workspace', `"${target.relative}" is a symlink`, { path: target.relative, reason: 'symlink' });
        throw err;
      }
      try {
        await handle.writeFile(data);
      } finally {
        await handle.close();
      }
      const size = (await stat(target.absolute)).size;
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
