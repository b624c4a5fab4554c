import { readFile, stat } from 'node:fs/promises';
import { LlmctlError } from '@llmctl/contracts';
import { validateFlowchart } from '@llmctl/engine';
import type { CommandContext } from '../cli.ts';
import { DEFAULT_BODY_LIMIT, parseByteSize } from '../config.ts';
import { parseLimitedJson } from '../json-safety.ts';

/**
 * `llmctl validate <file>`: prints every coded problem; exits 1 when the flowchart has errors. It applies the limits
 * the server applies to a request body — the size limit (`LLMCTL_BODY_LIMIT`, 1 MiB by default), the JSON nesting
 * limit and storable strings — so a document it calls valid is one the server accepts.
 */
export async function validateCommand({ args, out }: CommandContext): Promise<number> {
  const file = args[0];
  if (!file) throw new LlmctlError('validation_failed', 'usage: llmctl validate <flowchart.json>');
  const limitText = process.env.LLMCTL_BODY_LIMIT;
  const limit = limitText ? parseByteSize('LLMCTL_BODY_LIMIT', limitText) : DEFAULT_BODY_LIMIT;
  const cannotRead = (e: Error) => {
    throw new LlmctlError('not_found', `cannot read ${file}: ${e.message}`);
  };
  const size = (await stat(file).catch(cannotRead)).size;
  if (size > limit) {
    out(`${file}: error [payload_too_large] /: the file is ${size} bytes; the server accepts documents of at most ${limit} bytes (LLMCTL_BODY_LIMIT)`);
    return 1;
  }
  const parsed = parseLimitedJson(await readFile(file, 'utf8').catch(cannotRead));
  if (!parsed.ok) {
    out(`${file}: error [validation_failed] ${parsed.problem.path || '/'}: the document is ${parsed.reason}`);
    return 1;
  }
  const r = validateFlowchart(parsed.value);
  const where = (i: { node_id?: string; edge_id?: string; path: string }) => (i.node_id ? `node ${i.node_id}` : i.edge_id ? `connector ${i.edge_id}` : i.path || '/');
  for (const e of r.errors) out(`${file}: error [${e.code}] ${where(e)}: ${e.message}`);
  for (const w of r.warnings) out(`${file}: warning [${w.code}] ${where(w)}: ${w.message}`);
  out(r.valid ? `${file}: valid (${r.warnings.length} warning(s))` : `${file}: ${r.errors.length} error(s), ${r.warnings.length} warning(s)`);
  return r.valid ? 0 : 1;
}
