import { readFile } from 'node:fs/promises';
import { LlmctlError } from '@llmctl/contracts';
import { validateFlowchart } from '@llmctl/engine';
import type { CommandContext } from '../cli.ts';

/** `llmctl validate <file>`: prints every coded problem; exits 1 when the flowchart has errors. */
export async function validateCommand({ args, out }: CommandContext): Promise<number> {
  const file = args[0];
  if (!file) throw new LlmctlError('validation_failed', 'usage: llmctl validate <flowchart.json>');
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new LlmctlError('not_found', `cannot read ${file}: ${e.message}`);
  });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    out(`${file}: error [validation_failed] not valid JSON: ${(e as Error).message}`);
    return 1;
  }
  const r = validateFlowchart(doc);
  const where = (i: { node_id?: string; edge_id?: string; path: string }) => (i.node_id ? `node ${i.node_id}` : i.edge_id ? `connector ${i.edge_id}` : i.path || '/');
  for (const e of r.errors) out(`${file}: error [${e.code}] ${where(e)}: ${e.message}`);
  for (const w of r.warnings) out(`${file}: warning [${w.code}] ${where(w)}: ${w.message}`);
  out(r.valid ? `${file}: valid (${r.warnings.length} warning(s))` : `${file}: ${r.errors.length} error(s), ${r.warnings.length} warning(s)`);
  return r.valid ? 0 : 1;
}
