import type { FanIn } from '@llmctl/contracts';
import { decisionMatch, nodePath, type Analysis, type IndexedEdge, type IndexedNode } from './analysis.ts';
import { dominates, immediateDominators } from './graph/dominators.ts';
import { reachableFrom } from './graph/reachability.ts';
import { capitalize, IssueCollector, nodeLabel } from './issues.ts';
import { fanInCountValid, isJoin, joinInputsOf } from './fan-in-policy.ts';

/** Incoming trigger connectors that make `n` a join (the rule: `joinInputsOf` in fan-in-policy.ts). */
function joinInputs(a: Analysis, n: IndexedNode): IndexedEdge[] {
  const incoming = a.triggerIn.get(n.node.id) ?? [];
  const kept = new Set(joinInputsOf(n.node, incoming.map((e) => e.edge)));
  return incoming.filter((e) => kept.has(e.edge));
}

/**
 * `fan_in_invalid`, the warning `fan_in_ignored`, `fan_in_deadlock` and the warning `fan_in_after_exclusive_branch`.
 */
export function checkFanIn(a: Analysis, out: IssueCollector): void {
  let idom: Map<string, string> | undefined;
  const branchCache = new Map<string, Set<string>>();
  for (const n of a.nodes) {
    const fanIn = n.node.fan_in;
    if (!fanIn || a.byId.get(n.node.id) !== n) continue;
    const inputs = joinInputs(a, n);
    const label = nodeLabel(n.node);
    if (!isJoin(inputs.length)) {
      out.warn(
        'fan_in_ignored',
        `${capitalize(label)} sets fan_in but has ${inputs.length} incoming trigger connector${inputs.length === 1 ? '' : 's'}; fan_in only applies to joins (two or more), so it is ignored.`,
        { path: nodePath(n, 'fan_in'), node_id: n.node.id },
      );
    }
    if (fanIn.policy === 'count' && !fanInCountValid(fanIn.count, inputs.length)) {
      out.error(
        'fan_in_invalid',
        `${capitalize(label)} has fan_in count ${JSON.stringify(fanIn.count)}; it must be an integer from 1 to the number of its incoming trigger connectors (${inputs.length}).`,
        { path: nodePath(n, 'fan_in', 'count'), node_id: n.node.id },
      );
      continue;
    }
    if (!isJoin(inputs.length) || !a.start) continue;
    if (fanIn.policy === 'all' || fanIn.policy === 'count') checkDeadlock(a, n, fanIn, inputs, out);
    if (fanIn.policy === 'all') {
      idom ??= immediateDominators(a.flow, a.start.node.id);
      checkExclusiveBranches(a, n, inputs, idom, branchCache, out);
    }
  }
}

/**
 * `fan_in_deadlock`: L = the inputs of J whose source is reachable from start without passing through J. An `all`
 * join needs every input in L, a `count N` join at least N.
 */
function checkDeadlock(a: Analysis, j: IndexedNode, fanIn: FanIn, inputs: IndexedEdge[], out: IssueCollector): void {
  const startId = a.start?.node.id as string;
  const reach = reachableFrom(a.flow, [startId], new Set([j.node.id]));
  const live = inputs.filter((e) => reach.has(e.edge.source));
  const needed = fanIn.policy === 'count' ? fanIn.count : inputs.length;
  if (live.length >= needed) return;
  const dead = inputs.filter((e) => !reach.has(e.edge.source)).map((e) => `"${e.edge.id}" from "${e.edge.source}"`);
  const policy = fanIn.policy === 'count' ? `count ${fanIn.count}` : 'all';
  out.error(
    'fan_in_deadlock',
    `Join ${nodeLabel(j.node)} (fan_in ${policy}) needs ${needed} input${needed === 1 ? '' : 's'}, but only ${live.length} of its ${inputs.length} can deliver before it fires: connector${dead.length === 1 ? '' : 's'} ${dead.join(', ')} can only be reached from start through the join itself. Use fan_in inclusive, or rewire the loop.`,
    { path: nodePath(j, 'fan_in'), node_id: j.node.id },
  );
}

/**
 * `fan_in_after_exclusive_branch`: an `all` join two of whose inputs come out of different outgoing connectors of one
 * `match: first` decision D that dominates both sources. The branch set of an input c is the set of D's outgoing
 * trigger connectors o such that source(c) is reachable from target(o) without passing through D (or {c} itself when
 * c leaves D). Disjoint non-empty branch sets mean one pass through D never feeds both inputs.
 */
function checkExclusiveBranches(
  a: Analysis, j: IndexedNode, inputs: IndexedEdge[], idom: Map<string, string>, cache: Map<string, Set<string>>,
  out: IssueCollector,
): void {
  for (const d of a.nodes) {
    if (d.node.type !== 'decision' || decisionMatch(d.node) !== 'first' || a.byId.get(d.node.id) !== d) continue;
    if (!idom.has(d.node.id)) continue;
    const dominated = inputs.filter((c) => dominates(idom, d.node.id, c.edge.source));
    const sets = dominated.map((c) => ({ c, branches: branchSet(a, d, c, cache) })).filter((x) => x.branches.size > 0);
    for (let x = 0; x < sets.length; x++) {
      for (let y = x + 1; y < sets.length; y++) {
        const p = sets[x] as (typeof sets)[number];
        const q = sets[y] as (typeof sets)[number];
        if ([...p.branches].some((id) => q.branches.has(id))) continue;
        out.warn(
          'fan_in_after_exclusive_branch',
          `Join ${nodeLabel(j.node)} (fan_in all) waits for connectors "${p.c.edge.id}" and "${q.c.edge.id}", which come out of different branches of decision "${d.node.id}" (match: first takes only one), so it can never fire; use fan_in inclusive.`,
          { path: nodePath(j, 'fan_in'), node_id: j.node.id },
        );
        return;
      }
    }
  }
}

function branchSet(a: Analysis, d: IndexedNode, c: IndexedEdge, cache: Map<string, Set<string>>): Set<string> {
  if (c.edge.source === d.node.id) return new Set([c.edge.id]);
  const result = new Set<string>();
  for (const o of a.triggerOut.get(d.node.id) ?? []) {
    if (a.byId.get(o.edge.target)?.node.type === 'start') continue;
    const key = `${d.node.id}\u0000${o.index}`;
    let reach = cache.get(key);
    if (!reach) {
      reach = reachableFrom(a.flow, [o.edge.target], new Set([d.node.id]));
      cache.set(key, reach);
    }
    if (reach.has(c.edge.source)) result.add(o.edge.id);
  }
  return result;
}
