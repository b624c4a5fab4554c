/**
 * The window of a big graph (src/views/graph/view-window.ts): which nodes and connectors React Flow is given, when the
 * window is recomputed, and that nodes on screen are admitted at most a fixed number per step, nearest the centre first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit, enlarge, MOUNT_PER_FRAME, pendingOnScreen, viewRect, windowContent, windowServes, type WindowEdge, type WindowNode } from '../src/views/graph/view-window.ts';

/** A grid of `cols` × `rows` nodes 220 × 110 apart, each connected to its right neighbour. */
function grid(cols: number, rows: number): { nodes: WindowNode[]; edges: WindowEdge[] } {
  const nodes: WindowNode[] = [];
  const edges: WindowEdge[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      nodes.push({ id: `n${r}_${c}`, position: { x: c * 220, y: r * 110 }, measured: { width: 180, height: 64 } });
      if (c > 0) edges.push({ id: `e${r}_${c}`, source: `n${r}_${c - 1}`, target: `n${r}_${c}` });
    }
  }
  return { nodes, edges };
}

test('the view rectangle follows the transform, and a window serves views inside it that are not far smaller', () => {
  const view = viewRect([-1000, -500, 0.5], 1400, 900);
  assert.deepEqual(view, { x: 2000, y: 1000, width: 2800, height: 1800 });
  const win = enlarge(view);
  assert.deepEqual(win, { x: 600, y: 100, width: 5600, height: 3600 });
  assert.equal(windowServes(win, view), true);
  assert.equal(windowServes(win, viewRect([-1000 + 300, -500, 0.5], 1400, 900)), true, 'a pan inside the window keeps it');
  assert.equal(windowServes(win, viewRect([-1000 + 1000, -500, 0.5], 1400, 900)), false, 'a pan out of it does not');
  assert.equal(windowServes(win, viewRect([-4000, -2000, 2], 1400, 900)), false, 'zoomed far in, a smaller window is made');
  assert.equal(windowServes(null, view), false);
});

test('the window holds the nodes inside it nearest the centre first, the connectors crossing it with their ends, and the selected nodes', () => {
  const { nodes, edges } = grid(100, 50);
  nodes[nodes.length - 1]!.selected = true;
  const win = { x: 1000, y: 1000, width: 1000, height: 500 };
  const c = windowContent(nodes, edges, win);
  assert.ok(c.inside.length > 0 && c.inside.length < 60, `${c.inside.length} nodes inside`);
  const centre = { x: 1500, y: 1250 };
  const dist = (n: WindowNode) => (n.position.x + 90 - centre.x) ** 2 + (n.position.y + 32 - centre.y) ** 2;
  for (let i = 1; i < c.inside.length; i++) assert.ok(dist(c.inside[i - 1]!) <= dist(c.inside[i]!), 'nearest the centre first');
  const ids = new Set([...c.inside, ...c.outside].map((n) => n.id));
  for (const e of c.edges) assert.ok(ids.has(e.source) && ids.has(e.target), `both ends of ${e.id} are given`);
  assert.ok(c.edges.length > 0 && c.edges.length < 80);
  assert.ok(c.outside.some((n) => n.id === 'n49_99'), 'a selected node far away is given');
});

test('nodes on screen are admitted at most MOUNT_PER_FRAME per step, off-screen ones of the window at once, until none is pending', () => {
  const { nodes, edges } = grid(100, 50);
  // Zoomed out to 0.6 on a 1440 × 900 pane: about 150 nodes on screen.
  const view = viewRect([-2000 * 0.6, -1000 * 0.6, 0.6], 1440, 900);
  const c = windowContent(nodes, edges, enlarge(view));
  const onScreen = pendingOnScreen(c, new Set(), view);
  assert.ok(onScreen > 2 * MOUNT_PER_FRAME, `${onScreen} nodes on screen`);
  let admitted: ReadonlySet<string> = new Set();
  let steps = 0;
  for (;;) {
    const next = admit(c, admitted, view);
    if (next === admitted) break;
    const before = pendingOnScreen(c, admitted, view);
    const after = pendingOnScreen(c, next, view);
    assert.ok(before - after <= MOUNT_PER_FRAME, `step ${steps} admitted ${before - after} nodes on screen`);
    if (steps === 0) assert.ok([...c.inside, ...c.outside].filter((n) => next.has(n.id)).length > MOUNT_PER_FRAME, 'off-screen nodes come at once');
    admitted = next;
    steps++;
  }
  assert.equal(pendingOnScreen(c, admitted, view), 0);
  assert.equal(steps, Math.ceil(onScreen / MOUNT_PER_FRAME));
  assert.equal(admitted.size, c.inside.length + c.outside.length);
  // A node leaving the window leaves the admitted set; one already admitted stays without counting against the budget.
  const moved = viewRect([-2300 * 0.6, -1000 * 0.6, 0.6], 1440, 900);
  const c2 = windowContent(nodes, edges, enlarge(moved));
  const next = admit(c2, admitted, moved);
  for (const id of next) assert.ok(c2.inside.some((n) => n.id === id) || c2.outside.some((n) => n.id === id));
  assert.ok(pendingOnScreen(c2, admitted, moved) - pendingOnScreen(c2, next, moved) <= MOUNT_PER_FRAME);
});
