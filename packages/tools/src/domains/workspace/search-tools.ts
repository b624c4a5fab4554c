/** `list_files` and `search_files`: browsing the run workspace without following symlinks. */
import { LlmctlError } from '@llmctl/contracts';
import type { Dirent } from 'node:fs';
import { constants } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { WorkspaceToolOptions } from './file-tools.ts';
import { openRegularFile } from './regular-file.ts';
import { checkReservedPath } from './reserved-paths.ts';
import { resolveWorkspacePath } from './workspace-paths.ts';

/** Kind of a listed entry; symlinks are reported, never followed. */
export type EntryType = 'file' | 'directory' | 'symlink' | 'other';
/** Input of `list_files`. */
export interface ListFilesInput { path?: string; recursive?: boolean; max_entries?: number }
/** Output of `list_files`. */
export interface ListFilesOutput { path: string; entries: { path: string; type: EntryType; size: number }[]; truncated: boolean }
/** Input of `search_files`. */
export interface SearchFilesInput { query: string; path?: string; case_sensitive?: boolean; max_results?: number }
/** Output of `search_files`. */
export interface SearchFilesOutput {
  query: string;
  matches: { path: string; line: number; text: string }[];
  files_scanned: number;
  truncated: boolean;
}

const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
const MAX_LINE_CHARS = 500;

function typeOf(d: Dirent): EntryType {
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isDirectory()) return 'directory';
  if (d.isFile()) return 'file';
  return 'other';
}

async function* walk(absDir: string, relDir: string, recursive: boolean): AsyncGenerator<{ abs: string; rel: string; type: EntryType }> {
  const entries = (await readdir(absDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    const abs = path.join(absDir, d.name);
    const rel = relDir === '.' ? d.name : `${relDir}/${d.name}`;
    const type = typeOf(d);
    yield { abs, rel, type };
    if (recursive && type === 'directory' && d.name.toLowerCase().replace(/[. ]+$/, '') !== '.git') yield* walk(abs, rel, true);
  }
}

async function directory(workspace_dir: string, requested: string): Promise<{ absolute: string; relative: string; root: string }> {
  const dir = await resolveWorkspacePath(workspace_dir, requested);
  checkReservedPath(requested, dir.relative, false);
  const info = dir.exists ? await lstat(dir.absolute) : undefined;
  if (!info?.isDirectory()) throw new LlmctlError('tool_failed', `"${dir.relative}" is not a directory`, { path: dir.relative });
  return dir;
}

/** The `list_files` tool. */
export function listFilesTool(options: WorkspaceToolOptions = {}): Tool<ListFilesInput, ListFilesOutput> {
  const maxEntries = options.max_entries ?? 1000;
  return defineTool<ListFilesInput, ListFilesOutput>({
    name: 'list_files',
    description: 'List the entries of a workspace directory (recursively on request; .git is not descended).',
    input_schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        path: { type: 'string', minLength: 1, maxLength: 4096, description: 'Directory relative to the workspace root (default ".")' },
        recursive: { type: 'boolean' },
        max_entries: { type: 'integer', minimum: 1 },
      },
    },
    output_schema: {
      type: 'object',
      required: ['path', 'entries', 'truncated'],
      additionalProperties: false,
      properties: {
        path: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'type', 'size'],
            additionalProperties: false,
            properties: { path: { type: 'string' }, type: { enum: ['file', 'directory', 'symlink', 'other'] }, size: { type: 'integer', minimum: 0 } },
          },
        },
        truncated: { type: 'boolean' },
      },
    },
    side_effect: 'read',
    retry: options.retry ?? { max_attempts: 2, backoff_ms: 50 },
    timeout_ms: options.timeout_ms ?? 10_000,
    async run(input, ctx) {
      const dir = await directory(ctx.workspace_dir, input.path ?? '.');
      const limit = Math.min(input.max_entries ?? maxEntries, maxEntries);
      const entries: ListFilesOutput['entries'] = [];
      let truncated = false;
      for await (const e of walk(dir.absolute, dir.relative, input.recursive ?? false)) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (entries.length >= limit) {
          truncated = true;
          break;
        }
        const size = e.type === 'file' ? (await lstat(e.abs)).size : 0;
        entries.push({ path: e.rel, type: e.type, size });
      }
      return { path: dir.relative, entries, truncated };
    },
  });
}

/** The head of a regular text file, or null for a binary file or anything that is not a plain workspace file. */
async function readTextHead(abs: string, root: string, rel: string): Promise<string | null> {
  let opened;
  try {
    opened = await openRegularFile(abs, root, rel, constants.O_RDONLY);
  } catch {
    return null; // FIFO, socket, device, hardlink, other device, or gone
  }
  const { handle, info } = opened;
  try {
    const length = Math.min(info.size, MAX_SEARCH_FILE_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, 0);
    if (buffer.subarray(0, 8192).includes(0)) return null; // binary
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The `search_files` tool: literal (not regex) search, line by line, in regular text files. */
export function searchFilesTool(options: WorkspaceToolOptions = {}): Tool<SearchFilesInput, SearchFilesOutput> {
  const maxMatches = options.max_matches ?? 200;
  return defineTool<SearchFilesInput, SearchFilesOutput>({
    name: 'search_files',
    description: 'Search workspace text files for a literal string; returns matching lines with their line numbers.',
    input_schema: {
      type: 'object',
      required: ['query'],
      additionalProperties: false,
      properties: {
        query: { type: 'string', minLength: 1, maxLength: 1000 },
        path: { type: 'string', minLength: 1, maxLength: 4096, description: 'Directory to search (default ".")' },
        case_sensitive: { type: 'boolean' },
        max_results: { type: 'integer', minimum: 1 },
      },
    },
    output_schema: {
      type: 'object',
      required: ['query', 'matches', 'files_scanned', 'truncated'],
      additionalProperties: false,
      properties: {
        query: { type: 'string' },
        matches: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'line', 'text'],
            additionalProperties: false,
            properties: { path: { type: 'string' }, line: { type: 'integer', minimum: 1 }, text: { type: 'string' } },
          },
        },
        files_scanned: { type: 'integer', minimum: 0 },
        truncated: { type: 'boolean' },
      },
    },
    side_effect: 'read',
    retry: options.retry ?? { max_attempts: 2, backoff_ms: 50 },
    timeout_ms: options.timeout_ms ?? 30_000,
    async run(input, ctx) {
      const dir = await directory(ctx.workspace_dir, input.path ?? '.');
      const limit = Math.min(input.max_results ?? maxMatches, maxMatches);
      const fold = (s: string): string => (input.case_sensitive ? s : s.toLowerCase());
      const needle = fold(input.query);
      const matches: SearchFilesOutput['matches'] = [];
      let files_scanned = 0;
      let truncated = false;
      outer: for await (const e of walk(dir.absolute, dir.relative, true)) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (e.type !== 'file') continue;
        const text = await readTextHead(e.abs, dir.root, e.rel);
        files_scanned += 1;
        if (text === null) continue;
        const lines = text.split('\n');
        for (const [i, line] of lines.entries()) {
          if (!fold(line).includes(needle)) continue;
          if (matches.length >= limit) {
            truncated = true;
            break outer;
          }
          matches.push({ path: e.rel, line: i + 1, text: line.replace(/\r$/, '').slice(0, MAX_LINE_CHARS) });
        }
      }
      return { query: input.query, matches, files_scanned, truncated };
    },
  });
}
