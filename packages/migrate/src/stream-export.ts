/**
 * Streams an export file without parsing it whole: the elements of a top-level array, or of the `flowcharts` /
 * `reports` array of a top-level object, are cut out of the character stream one at a time and parsed on their own,
 * so memory stays bounded by the largest flowchart (a 10,000-flowchart export never sits in memory). Any other
 * document (one graph object) is parsed whole. Malformed JSON is `migration_input_invalid`.
 */
import { createReadStream } from 'node:fs';
import { LlmctlError } from '@llmctl/contracts';

const TARGET_KEYS = new Set(['flowcharts', 'reports']);
const WS = new Set([' ', '\t', '\n', '\r']);

function invalid(path: string, problem: string): LlmctlError {
  return new LlmctlError('migration_input_invalid', `Malformed llmctl export at ${path || '(root)'}: ${problem}.`, { path, problem });
}

/** One value of the export: an element of the batch array (with its JSON path), or the whole document. */
export interface ExportValue {
  path: string;
  value: unknown;
  /** True for an element of the batch array (false: the document itself). */
  element: boolean;
}

/**
 * Yields the batch elements of an export (`[...]`, `{ "flowcharts": [...] }`, `{ "reports": [...] }`) one at a time,
 * or the whole document when it has no batch array. `chunks` is the text (e.g. a UTF-8 file stream).
 */
export async function* streamExportValues(chunks: AsyncIterable<string>, opts: { parse?: boolean } = {}): AsyncGenerator<ExportValue> {
  const parse = opts.parse !== false;
  const stack: string[] = [];
  let inString = false;
  let escape = false;
  let keyText: string | null = null; // the string being read at depth 1 of a root object (a key candidate)
  let lastKey: string | null = null;
  let expectKey = false;
  let targetDepth = -1;
  let targetPath = '';
  let element: string | null = null;
  let elementIndex = 0;
  let whole = '';
  let rootSeen = false;
  const emit = (text: string): ExportValue => {
    const path = `${targetPath}[${elementIndex++}]`;
    if (!parse) return { path, value: undefined, element: true };
    try { return { path, value: JSON.parse(text) as unknown, element: true }; } catch (e) { throw invalid(path, `not valid JSON (${(e as Error).message})`); }
  };
  for await (const chunk of chunks) {
    let segStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (inString) {
        if (keyText !== null && !(escape || ch === '"')) keyText += ch;
        if (escape) escape = false;
        else if (ch === '\\') escape = true;
        else if (ch === '"') {
          inString = false;
          if (keyText !== null) { lastKey = keyText; keyText = null; }
        }
        continue;
      }
      if (WS.has(ch)) continue;
      if (!rootSeen) {
        rootSeen = true;
        if (ch !== '[' && ch !== '{') throw invalid('', 'expected a flowchart graph, an array of them, { flowcharts: [...] } or an llmctl migration report');
      }
      // Element boundaries inside the target array.
      if (targetDepth >= 0 && stack.length === targetDepth && element === null && ch !== ',' && ch !== ']') {
        element = '';
        segStart = i;
      }
      if (ch === '"') {
        inString = true;
        if (stack.length === 1 && stack[0] === '{' && expectKey) { keyText = ''; expectKey = false; }
        continue;
      }
      if (ch === '{' || ch === '[') {
        stack.push(ch);
        if (ch === '{' && stack.length === 1) expectKey = true;
        if (ch === '[' && targetDepth < 0 && (stack.length === 1 || (stack.length === 2 && stack[0] === '{' && lastKey !== null && TARGET_KEYS.has(lastKey)))) {
          targetDepth = stack.length;
          targetPath = stack.length === 1 ? '' : `.${lastKey}`;
          whole = '';
        }
        continue;
      }
      if (ch === '}' || ch === ']') {
        const open = stack.pop();
        if ((ch === '}' && open !== '{') || (ch === ']' && open !== '[')) throw invalid(targetPath, 'mismatched brackets');
        if (element !== null && stack.length === targetDepth) {
          element += chunk.slice(segStart, i + 1);
          yield emit(element);
          element = null;
        } else if (element !== null && stack.length === targetDepth - 1) {
          element += chunk.slice(segStart, i);
          yield emit(element);
          element = null;
        }
        if (stack.length < targetDepth) targetDepth = -2; // the target array is closed
        continue;
      }
      if (ch === ',') {
        if (stack.length === 1 && stack[0] === '{') expectKey = true;
        if (element !== null && stack.length === targetDepth) {
          element += chunk.slice(segStart, i);
          yield emit(element);
          element = null;
        }
      }
    }
    if (element !== null) element += chunk.slice(segStart);
    if (targetDepth === -1) whole += chunk;
  }
  if (inString || stack.length > 0) throw invalid(targetPath, 'the export ends in the middle of a value');
  if (!rootSeen) throw invalid('', 'the export is empty');
  if (targetDepth === -1) {
    try {
      yield { path: '', value: parse ? JSON.parse(whole) as unknown : undefined, element: false };
    } catch (e) {
      throw invalid('', `not valid JSON (${(e as Error).message})`);
    }
  }
}

/** Streams an export file (UTF-8). */
export function streamExportFile(path: string, opts: { parse?: boolean } = {}): AsyncGenerator<ExportValue> {
  return streamExportValues(createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 }), opts);
}
