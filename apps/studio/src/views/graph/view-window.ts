/**
 * The window of a big graph that React Flow is given (see big-graph.ts). React Flow's own culling
 * (`onlyRenderVisibleElements`) walks every node and every connector it holds on every viewport change, and
 * re-adopts all of them whenever the node list changes, so a 5,000-node graph cost O(n) per panning frame and one
 * frame of O(n) work plus every node then on screen mounting at once when zooming in past the low-detail threshold.
 * Instead the canvas hands React Flow only a window: the nodes inside the viewport enlarged by a margin, the
 * connectors crossing it (with their end nodes), and the selected elements. The window is recomputed only when the
 * viewport leaves it, so panning within it changes nothing but the transform; and new nodes on screen are admitted at
 * most {@link MOUNT_PER_FRAME} per frame, nearest the centre first, so no frame mounts more.
 */

/** A rectangle in flow coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the window needs of a node: id, position, size (measured or estimated), selection. */
export interface WindowNode {
  id: string;
  position: { x: number; y: number };
  measured?: { width?: number; height?: number };
  selected?: boolean;
}

/** What the window needs of a connector. */
export interface WindowEdge {
  id: string;
  source: string;
  target: string;
  selected?: boolean;
}

/** At most this many nodes on screen are newly handed to React Flow per animation frame. */
export const MOUNT_PER_FRAME = 32;
/** The window is the viewport enlarged by this fraction of its size on every side. */
export const WINDOW_MARGIN = 0.5;
const W = 180;
const H = 64;

/** The flow rectangle shown by a pane of `width` × `height` at `transform` ([x, y, zoom]). */
export function viewRect(transform: readonly [number, number, number], width: number, height: number): Rect {
  const [tx, ty, zoom] = transform;
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
}

/** `r` enlarged by `margin` × its size on every side. */
export function enlarge(r: Rect, margin = WINDOW_MARGIN): Rect {
  return { x: r.x - r.width * margin, y: r.y - r.height * margin, width: r.width * (1 + 2 * margin), height: r.height * (1 + 2 * margin) };
}

/**
 * Whether the window `win` still serves the viewport `view`: it contains it and is not much larger (after zooming in,
 * a window made for a far wider view would hold many nodes for nothing).
 */
export function windowServes(win: Rect | null, view: Rect): boolean {
  if (!win) return false;
  const inside = view.x >= win.x && view.y >= win.y && view.x + view.width <= win.x + win.width && view.y + view.height <= win.y + win.height;
  return inside && win.width * win.height <= 9 * view.width * view.height;
}

const sizeOf = (n: WindowNode): { w: number; h: number } => ({ w: n.measured?.width ?? W, h: n.measured?.height ?? H });

/** Whether node `n` intersects `r`. */
export function nodeIn(n: WindowNode, r: Rect): boolean {
  const { w, h } = sizeOf(n);
  return n.position.x < r.x + r.width && n.position.x + w > r.x && n.position.y < r.y + r.height && n.position.y + h > r.y;
}

/** The window's content, in admission order. */
export interface WindowContent<N, E> {
  /** Nodes intersecting the window, nearest its centre first. */
  inside: N[];
  /** Nodes outside the window that React Flow needs anyway: ends of the window's connectors, selected nodes. */
  outside: N[];
  /** Connectors whose end-to-end box intersects the window, and selected connectors. */
  edges: E[];
}

/** The nodes and connectors of window `win` (O(nodes + connectors); run when the window or the graph changes). */
export function windowContent<N extends WindowNode, E extends WindowEdge>(nodes: readonly N[], edges: readonly E[], win: Rect): WindowContent<N, E> {
  const byId = new Map<string, N>();
  for (const n of nodes) byId.set(n.id, n);
  const cx = win.x + win.width / 2;
  const cy = win.y + win.height / 2;
  const inside: { n: N; d: number }[] = [];
  const taken = new Set<string>();
  for (const n of nodes) {
    if (!nodeIn(n, win)) continue;
    const { w, h } = sizeOf(n);
    inside.push({ n, d: (n.position.x + w / 2 - cx) ** 2 + (n.position.y + h / 2 - cy) ** 2 });
    taken.add(n.id);
  }
  inside.sort((a, b) => a.d - b.d);
  const outside: N[] = [];
  const need = (n: N | undefined): void => {
    if (n && !taken.has(n.id)) {
      taken.add(n.id);
      outside.push(n);
    }
  };
  const out: E[] = [];
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    const x1 = Math.min(s.position.x, t.position.x);
    const y1 = Math.min(s.position.y, t.position.y);
    const x2 = Math.max(s.position.x + sizeOf(s).w, t.position.x + sizeOf(t).w);
    const y2 = Math.max(s.position.y + sizeOf(s).h, t.position.y + sizeOf(t).h);
    if (!e.selected && (x2 < win.x || x1 > win.x + win.width || y2 < win.y || y1 > win.y + win.height)) continue;
    out.push(e);
    need(s);
    need(t);
  }
  for (const n of nodes) if (n.selected) need(n);
  return { inside: inside.map((x) => x.n), outside, edges: out };
}

/**
 * The ids React Flow may hold next, from those it holds (`admitted`): every node of the window that is not on screen
 * (`view`; React Flow does not render it, so it costs nothing) and, of the nodes on screen not yet admitted, the first
 * `perFrame` in the window's order. Returns `admitted` itself when nothing changes.
 */
export function admit(content: WindowContent<WindowNode, WindowEdge>, admitted: ReadonlySet<string>, view: Rect, perFrame = MOUNT_PER_FRAME): ReadonlySet<string> {
  const next = new Set<string>();
  let budget = perFrame;
  let changed = false;
  for (const n of content.inside) {
    if (admitted.has(n.id) || n.selected || !nodeIn(n, view)) next.add(n.id);
    else if (budget > 0) {
      budget--;
      next.add(n.id);
    }
    if (!admitted.has(n.id) && next.has(n.id)) changed = true;
  }
  for (const n of content.outside) {
    next.add(n.id);
    if (!admitted.has(n.id)) changed = true;
  }
  if (!changed && next.size === admitted.size) return admitted;
  return next;
}

/** How many nodes of the window on screen are still waiting to be admitted. */
export function pendingOnScreen(content: WindowContent<WindowNode, WindowEdge>, admitted: ReadonlySet<string>, view: Rect): number {
  let pending = 0;
  for (const n of content.inside) if (!admitted.has(n.id) && nodeIn(n, view)) pending++;
  return pending;
}
