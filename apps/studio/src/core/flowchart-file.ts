/**
 * Flowchart files: export writes the flowchart-v1 document as pretty JSON; import reads a document, or an exported
 * API object that wraps one (`{ document: {...} }`, e.g. a saved `GET /api/flowcharts/:id` answer).
 */

/** A safe file name for a flowchart: `<name>.flowchart.json`. */
export function flowchartFileName(name: string): string {
  const base = name.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${base || 'flowchart'}.flowchart.json`;
}

/** The text of an exported flowchart file. */
export function flowchartFileText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Reads a flowchart file: the document it holds, or a message saying why it cannot be used. */
export function parseFlowchartFile(text: string): { ok: true; document: Record<string, unknown> } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The file is not JSON: ${(e as Error).message}` };
  }
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (!isObj(v)) return { ok: false, error: 'The file must hold a JSON object (a flowchart document).' };
  const doc = !('schema_version' in v) && isObj(v.document) ? v.document : v;
  if (!('nodes' in doc) || !Array.isArray(doc.nodes)) return { ok: false, error: 'The file holds no flowchart document (no "nodes" list).' };
  return { ok: true, document: doc };
}

/** Starts a browser download of `text` as `fileName`. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
