/**
 * Row windowing for long tables in a scrolling container: with at least {@link WINDOW_MIN_ROWS} rows only the rows in
 * view (plus {@link OVERSCAN} either side) are rendered, the rest stand in as two spacer rows of the same height. Rows
 * must be of one height (the table sets `white-space: nowrap`); the height is measured from a rendered row.
 */
import { useEffect, useState, type RefObject } from 'react';

/** Tables with at least this many rows are windowed (the run graph culls from the same size, see CULL_MIN_NODES). */
export const WINDOW_MIN_ROWS = 150;
const OVERSCAN = 15;
const DEFAULT_ROW_PX = 28;
const FIRST_WINDOW = 60;

/** The rows to render, `[from, to)`, and the row height for the spacers. */
export interface RowWindow {
  windowed: boolean;
  from: number;
  to: number;
  rowPx: number;
}

/**
 * The window of a table of `count` rows whose scrolling container is the table's parent element. Rows carry
 * `data-row` so one can be measured.
 */
export function useRowWindow(count: number, table: RefObject<HTMLTableElement | null>): RowWindow {
  const windowed = count >= WINDOW_MIN_ROWS;
  const [win, setWin] = useState({ from: 0, to: FIRST_WINDOW, rowPx: DEFAULT_ROW_PX });
  useEffect(() => {
    const el = table.current;
    const scroller = el?.parentElement;
    if (!windowed || !el || !scroller) return;
    const update = (): void => {
      const row = el.querySelector<HTMLElement>('tbody tr[data-row]');
      const rowPx = row?.offsetHeight || DEFAULT_ROW_PX;
      const top = scroller.scrollTop - (el.tHead?.offsetHeight ?? 0);
      const from = Math.max(0, Math.floor(top / rowPx) - OVERSCAN);
      const to = Math.min(count, Math.ceil((top + scroller.clientHeight) / rowPx) + OVERSCAN);
      setWin((w) => (w.from === from && w.to === to && w.rowPx === rowPx ? w : { from, to, rowPx }));
    };
    update();
    scroller.addEventListener('scroll', update, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    ro?.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', update);
      ro?.disconnect();
    };
  }, [windowed, count, table]);
  return windowed ? { windowed, from: win.from, to: Math.min(win.to, count), rowPx: win.rowPx } : { windowed, from: 0, to: count, rowPx: 0 };
}
