/**
 * Text and Markdown chunking for RAG ingestion. Chunks never exceed `max_chars` (overlap included): paragraphs are
 * packed together; a paragraph too long is split at sentence, then word, then character boundaries. Markdown is cut
 * into heading sections first, each chunk is prefixed with its heading trail (`# A > ## B`), and fenced code blocks
 * are kept whole when they fit (split by lines otherwise).
 */

/** Chunk size limits. */
export interface ChunkOptions {
  /** Largest chunk, in characters (default 1200, at least 50). */
  max_chars?: number;
  /** Characters of the previous chunk repeated at the start of the next, within one section (default 0). */
  overlap_chars?: number;
}

interface Limits { max: number; overlap: number }

function limits(o: ChunkOptions): Limits {
  const max = Math.max(50, Math.floor(o.max_chars ?? 1200));
  const overlap = Math.max(0, Math.min(Math.floor(o.overlap_chars ?? 0), Math.floor(max / 3)));
  return { max, overlap };
}

/** Splits one piece of text into parts of at most `budget` characters at the gentlest boundary available. */
function splitLong(text: string, budget: number): string[] {
  if (text.length <= budget) return [text];
  for (const boundary of [/(?<=[.!?])\s+/, /\n/, /\s+/]) {
    const parts = text.split(boundary).filter((p) => p.length > 0);
    if (parts.length > 1) return pack(parts.flatMap((p) => splitLong(p, budget)), budget, boundary.source === '\\n' ? '\n' : ' ');
  }
  const out: string[] = [];
  for (let i = 0; i < text.length; i += budget) out.push(text.slice(i, i + budget));
  return out;
}

/** Greedily packs parts (each ≤ budget) into chunks ≤ budget, joined by `sep`. */
function pack(parts: string[], budget: number, sep: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    if (current === '') current = part;
    else if (current.length + sep.length + part.length <= budget) current += sep + part;
    else {
      out.push(current);
      current = part;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** The last `n` characters of `text`, starting at a word boundary when there is one. */
function tail(text: string, n: number): string {
  if (n <= 0) return '';
  const t = text.slice(-n);
  const space = t.search(/\s/);
  return (space > 0 && space < t.length - 1 ? t.slice(space + 1) : t).trim();
}

/** Chunks of blocks with an optional prefix (heading trail) and overlap, each ≤ max. */
function chunkBlocks(blocks: string[], prefix: string, l: Limits): string[] {
  const head = prefix ? `${prefix}\n\n` : '';
  const budget = Math.max(20, l.max - head.length - (l.overlap > 0 ? l.overlap + 1 : 0));
  const bodies = pack(blocks.flatMap((b) => splitLong(b, budget)), budget, '\n\n');
  return bodies.map((body, i) => {
    const prev = i > 0 ? tail(bodies[i - 1] ?? '', l.overlap) : '';
    return `${head}${prev ? `${prev}\n` : ''}${body}`;
  });
}

function paragraphs(text: string): string[] {
  return text.split(/\n[ \t]*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Chunks plain text: paragraphs (blank-line separated) packed up to `max_chars`. */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  return chunkBlocks(paragraphs(text.replace(/\r\n?/g, '\n')), '', limits(options));
}

interface Section { trail: string[]; blocks: string[] }

/** Chunks Markdown by heading sections (see the module comment). */
export function chunkMarkdown(markdown: string, options: ChunkOptions = {}): string[] {
  const l = limits(options);
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const sections: Section[] = [];
  const trail: { level: number; text: string }[] = [];
  let section: Section = { trail: [], blocks: [] };
  let para: string[] = [];
  let fence: string | null = null;
  const flush = (): void => {
    const text = para.join('\n').trim();
    if (text) section.blocks.push(text);
    para = [];
  };
  for (const line of lines) {
    if (fence !== null) {
      para.push(line);
      if (line.trimStart().startsWith(fence)) {
        fence = null;
        flush();
      }
      continue;
    }
    const fenceOpen = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceOpen) {
      flush();
      fence = fenceOpen[1] ?? '```';
      para.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      if (section.blocks.length > 0) sections.push(section);
      const level = heading[1]?.length ?? 1;
      while (trail.length > 0 && (trail[trail.length - 1]?.level ?? 0) >= level) trail.pop();
      trail.push({ level, text: `${heading[1]} ${heading[2] ?? ''}`.trim() });
      section = { trail: trail.map((t) => t.text), blocks: [] };
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line);
  }
  flush();
  if (section.blocks.length > 0) sections.push(section);
  return sections.flatMap((s) => chunkBlocks(s.blocks, s.trail.join(' > ').slice(0, Math.floor(l.max / 3)), l));
}

/** Chunks by media type: `text/markdown` (or `.md`-style `text/x-markdown`) as Markdown, anything else as text. */
export function chunkDocument(text: string, media_type: string, options: ChunkOptions = {}): string[] {
  return /markdown/i.test(media_type) ? chunkMarkdown(text, options) : chunkText(text, options);
}
