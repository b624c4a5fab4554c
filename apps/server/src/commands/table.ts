/** Formats rows as left-aligned columns under a header (cells are cut at `max` characters). */
export function formatTable(header: string[], rows: string[][], max = 60): string[] {
  const cut = (s: string): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const cells = [header, ...rows].map((r) => r.map((c) => cut(c.replace(/\s+/g, ' '))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/** `2026-12-06T02:14:32.123Z` → `2026-12-06 02:14:32` (empty for null). */
export function shortTime(iso: unknown): string {
  return typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}
