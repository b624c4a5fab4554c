/** Output helpers of `llmctl migrate`: the progress bar (stderr), the report JSON writer (streamed) and the table. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { MigrationReport } from '@llmctl/migrate';

/** One row of the summary table. */
export interface MigrateRow {
  legacy_id: number;
  name: string;
  status: string;
  errors: number;
  warnings: number;
  applied: string;
}

/** A progress bar over the batch: redrawn in place on a TTY, one line per 10% otherwise. */
export function progressBar(write: (s: string) => void, isTty: boolean, total: number | null): { tick(name: string): void; done(): void } {
  let n = 0;
  let lastDecile = -1;
  return {
    tick(name) {
      n++;
      const frac = total ? n / total : 0;
      const width = 30;
      const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${n}/${total}` : `[${n}/?]`;
      if (isTty) write(`\r${bar} ${name.slice(0, 40).padEnd(40)}`);
      else if (!total || Math.floor(frac * 10) !== lastDecile) {
        lastDecile = Math.floor(frac * 10);
        write(`${bar} ${name.slice(0, 60)}\n`);
      }
    },
    done() {
      if (isTty) write('\n');
    },
  };
}

/** Streams the batch JSON to a file one report at a time (counts are written last; key order is free in JSON). */
export function reportWriter(path: string | undefined): { add(r: MigrationReport): void; finish(summary: Record<string, unknown>): void } {
  if (!path) return { add() {}, finish() {} };
  const fd = openSync(path, 'w');
  let first = true;
  writeSync(fd, '{"contract_version":"v1","reports":[');
  return {
    add(r) {
      writeSync(fd, `${first ? '' : ','}\n${JSON.stringify(r)}`);
      first = false;
    },
    finish(summary) {
      const rest = JSON.stringify(summary).slice(1, -1);
      writeSync(fd, `\n]${rest ? `,${rest}` : ''}}\n`);
      closeSync(fd);
    },
  };
}

/** A readable table: legacy id, flowchart, status, errors, warnings (and applied id with --apply). */
export function formatTable(rows: MigrateRow[], withApply: boolean): string[] {
  const head = ['LEGACY', 'FLOWCHART', 'STATUS', 'ERRORS', 'WARNINGS', ...(withApply ? ['APPLIED'] : [])];
  const cells = rows.map((r) => [String(r.legacy_id), r.name.slice(0, 48), r.status, String(r.errors), String(r.warnings), ...(withApply ? [r.applied] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...cells.map(line)];
}
