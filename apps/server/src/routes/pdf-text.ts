/**
 * Best-effort text extraction from PDF files without a PDF library (node:zlib only), for RAG ingestion. It reads the
 * page content streams (uncompressed or FlateDecode), follows the text-showing operators (`Tj`, `TJ`, `'`, `"`) and
 * maps glyph codes through the fonts' ToUnicode CMaps when present (else bytes are read as Latin-1, which fits the
 * standard 14 fonts' WinAnsi text). Not supported: encrypted files, other stream filters (LZW, ASCII85…), object
 * streams holding the font dictionaries, scanned (image-only) pages, Type3 fonts. Those give `null`.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

interface CMap {
  bytes: number;
  map: Map<number, string>;
}

const OBJ_RE = /(\d+)\s+(\d+)\s+obj\b/g;

/** Limits against hostile files: inflated bytes per stream and per file, and CMap entries per font. */
const MAX_STREAM_BYTES = 32 * 1024 * 1024;
const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
const MAX_CMAP_ENTRIES = 200_000;

function decodeStream(dict: string, raw: Buffer, budget: { left: number }): Buffer | null {
  if (budget.left <= 0 || /\/Subtype\s*\/Image\b/.test(dict)) return null;
  const out = inflateOrRaw(dict, raw);
  if (out) budget.left -= out.length;
  return out;
}

function inflateOrRaw(dict: string, raw: Buffer): Buffer | null {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dict)?.[1] ?? '';
  const filters = filter.match(/\/\w+/g) ?? [];
  if (filters.length === 0) return raw;
  if (filters.length === 1 && (filters[0] === '/FlateDecode' || filters[0] === '/Fl')) {
    try {
      return inflateSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a missing end marker */, maxOutputLength: MAX_STREAM_BYTES });
    } catch {
      return null;
    }
  }
  return null;
}

/** Splits the file into `N G obj … endobj` objects (dictionary text and decoded stream). */
function readObjects(pdf: Buffer): Map<string, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<string, PdfObject>();
  const budget = { left: MAX_TOTAL_BYTES };
  for (const m of text.matchAll(OBJ_RE)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) continue;
    const body = text.slice(start, end);
    const streamAt = body.search(/\bstream\r?\n/);
    if (streamAt < 0) {
      objects.set(`${m[1]} ${m[2]}`, { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const dataStart = start + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
    let dataEnd = text.lastIndexOf('endstream', end);
    if (dataEnd < dataStart) continue;
    while (dataEnd > dataStart && (text[dataEnd - 1] === '\n' || text[dataEnd - 1] === '\r')) dataEnd -= 1;
    objects.set(`${m[1]} ${m[2]}`, { dict, stream: decodeStream(dict, pdf.subarray(dataStart, dataEnd), budget) });
  }
  // Objects packed in object streams (PDF 1.5+): `/Type /ObjStm /N n /First f`, a header of "number offset" pairs.
  for (const o of [...objects.values()]) {
    if (!o.stream || !/\/Type\s*\/ObjStm\b/.test(o.dict)) continue;
    const first = Number(/\/First\s+(\d+)/.exec(o.dict)?.[1] ?? NaN);
    const n = Number(/\/N\s+(\d+)/.exec(o.dict)?.[1] ?? NaN);
    if (!Number.isInteger(first) || !Number.isInteger(n)) continue;
    const data = o.stream.toString('latin1');
    const header = data.slice(0, first).trim().split(/\s+/).map(Number);
    for (let k = 0; k < n && 2 * k + 1 < header.length; k += 1) {
      const num = header[2 * k]!;
      const at = first + header[2 * k + 1]!;
      const next = 2 * k + 3 < header.length ? first + header[2 * k + 3]! : data.length;
      if (!objects.has(`${num} 0`)) objects.set(`${num} 0`, { dict: data.slice(at, next), stream: null });
    }
  }
  return objects;
}

function hexToNumber(h: string): number {
  return parseInt(h, 16);
}

function utf16Hex(h: string): string {
  let out = '';
  for (let i = 0; i + 4 <= h.length; i += 4) out += String.fromCharCode(hexToNumber(h.slice(i, i + 4)));
  return out;
}

/** Parses a ToUnicode CMap (`bfchar` and `bfrange` sections). */
export function parseCMap(text: string): CMap {
  const map = new Map<number, string>();
  const space = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(text);
  const bytes = space ? Math.max(1, Math.ceil((space[1]?.length ?? 2) / 2)) : 1;
  for (const section of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of (section[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) {
      if (map.size >= MAX_CMAP_ENTRIES) break;
      map.set(hexToNumber(p[1]!), utf16Hex(p[2]!));
    }
  }
  for (const section of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const r of (section[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g)) {
      const lo = hexToNumber(r[1]!);
      const hi = Math.min(hexToNumber(r[2]!), lo + 65535, lo + MAX_CMAP_ENTRIES - map.size - 1);
      const dst = r[3]!;
      if (dst.startsWith('[')) {
        const list = [...dst.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => utf16Hex(x[1]!));
        for (let c = lo; c <= hi && c - lo < list.length; c += 1) map.set(c, list[c - lo]!);
      } else {
        const base = dst.slice(1, -1);
        const head = base.slice(0, -4);
        const last = hexToNumber(base.slice(-4) || '0');
        for (let c = lo; c <= hi; c += 1) map.set(c, utf16Hex(head) + String.fromCharCode(last + (c - lo)));
      }
    }
  }
  return { bytes, map };
}

/** Font resource name (`F1`) → ToUnicode CMap, from every `/Font << /F1 n 0 R >>` in the file. */
function fontCMaps(objects: Map<string, PdfObject>): Map<string, CMap> {
  const cmaps = new Map<string, CMap>();
  const cmapOf = (fontRef: string): CMap | null => {
    const font = objects.get(fontRef);
    const tu = font && /\/ToUnicode\s+(\d+)\s+(\d+)\s+R/.exec(font.dict);
    const stream = tu ? objects.get(`${tu[1]} ${tu[2]}`)?.stream : null;
    return stream ? parseCMap(stream.toString('latin1')) : null;
  };
  const scan = (dict: string): void => {
    for (const fonts of dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const f of (fonts[1] ?? '').matchAll(/\/([^\s/<>[\]()]+)\s+(\d+)\s+(\d+)\s+R/g)) {
        const cmap = cmapOf(`${f[2]} ${f[3]}`);
        if (cmap) cmaps.set(f[1]!, cmap);
      }
    }
    const indirect = /\/Font\s+(\d+)\s+(\d+)\s+R/.exec(dict);
    const fontDict = indirect ? objects.get(`${indirect[1]} ${indirect[2]}`) : undefined;
    if (fontDict) scan(`/Font <<${fontDict.dict}>>`);
  };
  for (const o of objects.values()) scan(o.dict);
  return cmaps;
}

type Token = { kind: 'str'; bytes: number[] } | { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string } | { kind: 'open' } | { kind: 'close' };

function* tokens(s: string): Generator<Token> {
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '%') { while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i += 1; continue; }
    if (c === '(') {
      const bytes: number[] = [];
      let depth = 1;
      i += 1;
      while (i < s.length && depth > 0) {
        const ch = s[i]!;
        if (ch === '\\') {
          const n = s[i + 1] ?? '';
          const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
          if (n in esc) { bytes.push(esc[n]!); i += 2; continue; }
          const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
          if (oct) { bytes.push(parseInt(oct[0], 8) & 255); i += 1 + oct[0].length; continue; }
          i += n === '\r' && s[i + 2] === '\n' ? 3 : 2; // line continuation
          continue;
        }
        if (ch === '(') depth += 1;
        if (ch === ')' && --depth === 0) { i += 1; break; }
        bytes.push(ch.charCodeAt(0) & 255);
        i += 1;
      }
      yield { kind: 'str', bytes };
      continue;
    }
    if (c === '<' && s[i + 1] !== '<') {
      const end = s.indexOf('>', i);
      const hex = s.slice(i + 1, end < 0 ? s.length : end).replace(/\s+/g, '');
      const padded = hex.length % 2 ? `${hex}0` : hex;
      const bytes: number[] = [];
      for (let k = 0; k < padded.length; k += 2) bytes.push(parseInt(padded.slice(k, k + 2), 16));
      yield { kind: 'str', bytes };
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    if (c === '[') { yield { kind: 'open' }; i += 1; continue; }
    if (c === ']') { yield { kind: 'close' }; i += 1; continue; }
    const word = /^(<<|>>|\/[^\s/<>[\]()%]*|[^\s/<>[\]()%]+)/.exec(s.slice(i, i + 256))?.[0] ?? c;
    i += word.length;
    if (word.startsWith('/')) yield { kind: 'name', value: word.slice(1) };
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) yield { kind: 'num', value: Number(word) };
    else yield { kind: 'op', value: word };
  }
}

type Operand = Token | { kind: 'arr'; items: Token[] };

function decodeBytes(bytes: number[], cmap: CMap | undefined): string {
  if (!cmap) return String.fromCharCode(...bytes);
  let out = '';
  for (let i = 0; i + cmap.bytes <= bytes.length; i += cmap.bytes) {
    let code = 0;
    for (let k = 0; k < cmap.bytes; k += 1) code = code * 256 + bytes[i + k]!;
    out += cmap.map.get(code) ?? '';
  }
  return out;
}

/** The text shown by one content stream. */
function contentText(content: string, cmaps: Map<string, CMap>): string {
  let out = '';
  let font: CMap | undefined;
  const operands: Operand[] = [];
  let array: Token[] | null = null;
  const newline = (): void => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  for (const t of tokens(content)) {
    if (t.kind === 'open') { array = []; continue; }
    if (t.kind === 'close') {
      if (array) operands.push({ kind: 'arr', items: array });
      array = null;
      continue;
    }
    if (array) { array.push(t); continue; }
    if (t.kind !== 'op') { operands.push(t); continue; }
    const args = operands.splice(0);
    switch (t.value) {
      case 'Tf': {
        const name = args.find((a) => a.kind === 'name') as { value: string } | undefined;
        font = name ? cmaps.get(name.value) : undefined;
        break;
      }
      case 'Tj':
        for (const a of args) if (a.kind === 'str') out += decodeBytes(a.bytes, font);
        break;
      case "'":
      case '"':
        newline();
        for (const a of args) if (a.kind === 'str') out += decodeBytes(a.bytes, font);
        break;
      case 'TJ':
        for (const a of args.flatMap((x) => (x.kind === 'arr' ? x.items : [x]))) {
          if (a.kind === 'str') out += decodeBytes(a.bytes, font);
          else if (a.kind === 'num' && a.value < -200 && !out.endsWith(' ')) out += ' ';
        }
        break;
      case 'Td':
      case 'TD': {
        const ty = args.filter((a) => a.kind === 'num')[1] as { value: number } | undefined;
        if (ty && ty.value !== 0) newline();
        else if (out !== '' && !/\s$/.test(out)) out += ' ';
        break;
      }
      case 'T*':
      case 'ET':
        newline();
        break;
      case 'Tm':
        if (out !== '' && !/\s$/.test(out)) out += ' ';
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * The text of a PDF, or null when nothing readable could be extracted (not a PDF, encrypted, unsupported encodings,
 * image-only pages). Lines are trimmed and runs of blank lines collapsed.
 */
export function extractPdfText(pdf: Buffer): string | null {
  if (pdf.subarray(0, 1024).toString('latin1').indexOf('%PDF-') < 0) return null;
  const head = pdf.toString('latin1');
  if (/\/Encrypt\s+(\d+\s+\d+\s+R|<<)/.test(head)) return null;
  const objects = readObjects(pdf);
  const cmaps = fontCMaps(objects);
  const contentRefs = new Set<string>();
  for (const o of objects.values()) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue;
    const c = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(o.dict)?.[1] ?? '';
    for (const r of c.matchAll(/(\d+)\s+(\d+)\s+R/g)) contentRefs.add(`${r[1]} ${r[2]}`);
  }
  const parts: string[] = [];
  for (const ref of contentRefs) {
    const stream = objects.get(ref)?.stream;
    if (stream) parts.push(contentText(stream.toString('latin1'), cmaps));
  }
  const text = parts.join('\n').split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : null;
}
