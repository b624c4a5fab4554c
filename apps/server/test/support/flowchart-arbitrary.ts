/**
 * fast-check arbitraries of flowchart-v1-ish documents for the fuzzing tests: mostly well-formed graphs (start, tasks
 * on a scripted model, decisions with JSONata conditions, joins with fan-in policies, loops, special nodes) with
 * random wiring, plus structural damage (dangling connectors, duplicate ids, wrong types, hostile strings).
 */
import fc from 'fast-check';
import { hostileJson, hostileString, jsonText, sometimes } from './hostile-values.ts';

const CONDITIONS = [
  "output.text = 'hi'", 'true', 'false', 'node.iteration < 2', '$count(upstream) > 0', 'input.n > 3', '1 +', '$$.x', "$string(output) = ''",
  '$sum([1,2,3]) = 6', 'output', '"not a boolean"', '$error("boom")', '(', 'input.__proto__', '$eval("1")', 'context.missing.deep',
];
const TEMPLATES = ['Say hi to {{input.name}}', '{{', '}}{{x', 'plain', '{{input.__proto__.polluted}}', '{{output}}', '{{node.id}} {{context}}', ''];

/** Mostly `valid`, now and then `invalid` (1 in 10). */
function mostly(valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

const id = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/) }, { weight: 1, arbitrary: hostileString });

function nodeConfig(type: string): fc.Arbitrary<Record<string, unknown> | undefined> {
  switch (type) {
    case 'task': return fc.record({
      model: fc.constantFrom('m1', 'm1', 'missing-model'), prompt: fc.constantFrom(...TEMPLATES),
      output_schema: mostly(fc.constantFrom({ type: 'object', required: ['x'] }, { type: 'string' }), fc.constant({ type: 'nonsense' })),
      max_repair_attempts: mostly(fc.integer({ min: 0, max: 3 }), fc.constant(-1)),
    }, { requiredKeys: ['model', 'prompt'] });
    case 'decision': return fc.record({ mode: fc.constantFrom('deterministic', 'llm_guided', 'bogus'), match: fc.constantFrom('first', 'all'), model: fc.constant('m1'), prompt: fc.constant('pick') }, { requiredKeys: [] });
    case 'memory': return fc.record({ op: fc.constantFrom('add', 'retrieve', 'x'), text: fc.constantFrom(...TEMPLATES), query: fc.constant('q'), scope: fc.constantFrom('global', 'flowchart') }, { requiredKeys: [] });
    case 'plan': return fc.record({ op: fc.constantFrom('create_or_update', 'complete_item'), plan_key: fc.constant('p'), items: fc.constant('a\nb') }, { requiredKeys: [] });
    case 'milestone': return fc.record({ key: fc.constant('m'), title: fc.constant('t'), status: fc.constantFrom('done', 'open') }, { requiredKeys: [] });
    case 'rag': return fc.record({ collection: fc.constantFrom('none', 'docs'), query: fc.constant('{{input.name}}') }, { requiredKeys: [] });
    case 'flowchart': return fc.record({ flowchart_id: fc.constantFrom('fc_01aaaaaaaaaaaaaaaaaaaaaaaa', 'nope') }, { requiredKeys: [] });
    default: return sometimes(fc.constant({ output: '{{input}}' }), 3).map((c) => c ?? undefined);
  }
}

const node = (nodeId: string, forcedType?: string) => fc.constantFrom(forcedType ?? 'task', ...(forcedType ? [] : ['task', 'task', 'decision', 'memory', 'plan', 'milestone', 'rag', 'flowchart', 'end', 'bogus']))
  .chain((type) => fc.record({
    id: fc.constant(nodeId), type: fc.constant(type), config: nodeConfig(type),
    retry: fc.record({ max_attempts: mostly(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, -1, 1.5)), backoff_ms: fc.integer({ min: 0, max: 5 }) }),
    timeout_s: mostly(fc.constantFrom(5, 30), fc.constantFrom(0, -5)),
    fan_in: mostly(
      fc.oneof(fc.constantFrom({ policy: 'inclusive' }, { policy: 'all' }, { policy: 'any' }), fc.integer({ min: 1, max: 3 }).map((count) => ({ policy: 'count', count }))),
      fc.constantFrom({ policy: 'bogus' }, { policy: 'count', count: 0 }, { policy: 'count', count: 99 }),
    ),
  }, { requiredKeys: ['id', 'type', 'config'] }));

/** Random wiring of random nodes, often damaged: mostly invalid documents, to exercise validation. */
const chaoticDocument: fc.Arbitrary<unknown> = fc.uniqueArray(id, { minLength: 0, maxLength: 7 })
  .chain((ids) => {
    const all = ['start', ...ids.filter((i) => i !== 'start'), 'done'];
    const nodes = fc.tuple(...all.map((nid, i) => (i === 0 ? node(nid, 'start') : i === all.length - 1 ? node(nid, 'end') : node(nid))));
    const edge = fc.record({
      source: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...all) }, { weight: 1, arbitrary: fc.constant('ghost') }),
      // Connectors into start (continue-as-new chains) are left to the continuation tests: they outlive a request.
      target: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...all.slice(1)) }, { weight: 1, arbitrary: fc.constant('ghost') }),
      mode: mostly(fc.constantFrom('trigger', 'trigger', 'context'), fc.constant('sideways')),
      condition: fc.constantFrom(...CONDITIONS),
      route_key: fc.constantFrom('a', 'b', 'bug'),
      fallback: fc.boolean(),
    }, { requiredKeys: ['source', 'target'] });
    // A spine start → … → done keeps many documents valid; extra random connectors add branches, joins and loops.
    const spine = all.slice(1).map((t, i) => ({ source: all[i]!, target: t }));
    return fc.record({
      nodes,
      extra: fc.array(edge, { maxLength: 4 }),
      keepSpine: fc.boolean(),
      settings: sometimes(fc.record({ max_node_executions: mostly(fc.integer({ min: 1, max: 60 }), fc.constant(0)), max_parallel_nodes: mostly(fc.integer({ min: 1, max: 4 }), fc.constant(0)) }, { requiredKeys: [] }), 3),
      damage: sometimes(fc.oneof(
        fc.constant((d: Record<string, unknown>) => ({ ...d, schema_version: 2 })),
        fc.constant((d: Record<string, unknown>) => ({ ...d, nodes: 'nodes' })),
        fc.constant((d: Record<string, unknown>) => ({ ...d, name: '' })),
        hostileJson.map((j) => (d: Record<string, unknown>) => ({ ...d, edges: [...(d.edges as unknown[]), JSON.parse(jsonText(j)) as unknown] })),
        hostileString.map((s) => (d: Record<string, unknown>) => ({ ...d, name: s })),
      ), 5),
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
    }).map(({ nodes: ns, extra, keepSpine, settings, damage, name }) => {
      const edges = [...(keepSpine ? spine : []), ...extra].map((e, i) => ({ id: `e${i}`, ...e }));
      const doc: Record<string, unknown> = { schema_version: 1, name, nodes: ns, edges, ...(settings ? { settings } : {}) };
      return damage ? damage(doc) : doc;
    });
  });

const RUNTIME_CONDITIONS = ["output.text = 'hi'", 'true', 'false', 'node.iteration < 2', '$count(upstream) >= 0', 'input.n > 3', '$error("boom")', '"not a boolean"', 'context.missing.deep'];

/**
 * A structurally valid document (start → tasks → end, optionally a deterministic decision with a fallback, loops
 * back with an iteration condition, context connectors): these are saved and run.
 */
const runnableDocument: fc.Arbitrary<unknown> = fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({
  prompts: fc.array(fc.constantFrom(...TEMPLATES.filter((t) => t !== '')), { minLength: n, maxLength: n }),
  schemas: fc.array(sometimes(fc.constantFrom({ type: 'object', required: ['x'] }, { type: 'string' }), 4), { minLength: n, maxLength: n }),
  decision: sometimes(fc.record({ at: fc.integer({ min: 0, max: Math.max(0, n - 2) }), condition: fc.constantFrom(...RUNTIME_CONDITIONS), match: fc.constantFrom('first', 'all') }), 2),
  loop: sometimes(fc.record({ from: fc.integer({ min: 0, max: n - 1 }), to: fc.integer({ min: 0, max: n - 1 }), condition: fc.constantFrom('node.iteration < 2', "output.text = 'never'", '$error("loop")') }), 3),
  context: sometimes(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), 3),
  retry: fc.record({ max_attempts: fc.integer({ min: 1, max: 3 }), backoff_ms: fc.constant(0) }),
  settings: sometimes(fc.record({ max_node_executions: fc.integer({ min: 1, max: 40 }), max_parallel_nodes: fc.integer({ min: 1, max: 4 }) }), 3),
  name: fc.string({ minLength: 1, maxLength: 20 }).filter((x) => !/[\u0000-\u001f\u007f]/.test(x) && x.trim() !== ''),
}).map(({ prompts, schemas, decision, loop, context, retry, settings, name }) => {
  const ids = prompts.map((_, i) => `t${i}`);
  const nodes: Record<string, unknown>[] = [{ id: 'start', type: 'start' }];
  ids.forEach((nid, i) => {
    if (decision && n >= 2 && decision.at === i) nodes.push({ id: nid, type: 'decision', config: { mode: 'deterministic', match: decision.match } });
    else nodes.push({ id: nid, type: 'task', retry, config: { model: 'm1', prompt: prompts[i], ...(schemas[i] ? { output_schema: schemas[i], max_repair_attempts: 1 } : {}) } });
  });
  nodes.push({ id: 'done', type: 'end' });
  const order = ['start', ...ids, 'done'];
  const edges: Record<string, unknown>[] = order.slice(1).map((t, i) => ({ source: order[i], target: t }));
  if (decision && n >= 2) {
    const out = edges.find((e) => e.source === ids[decision.at])!;
    out.condition = decision.condition;
    edges.push({ source: ids[decision.at], target: 'done', fallback: true });
  }
  if (loop && loop.to <= loop.from && decision?.at !== loop.from) edges.push({ source: ids[loop.from], target: ids[loop.to], condition: loop.condition });
  if (context && context[0] < context[1] && decision?.at !== context[0]) edges.push({ source: ids[context[0]], target: ids[context[1]], mode: 'context' });
  return { schema_version: 1, name, nodes, edges: edges.map((e, i) => ({ id: `e${i}`, ...e })), ...(settings ? { settings } : {}) };
}));

/** A flowchart-v1-ish document: runnable ones and randomly wired, damaged ones. */
export const flowchartDocument: fc.Arbitrary<unknown> = fc.oneof({ weight: 1, arbitrary: runnableDocument }, { weight: 1, arbitrary: chaoticDocument });
