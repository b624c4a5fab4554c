import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, edge, errorCodes, flow, node, SPEC_EXAMPLE, task, warningCodes } from './fixtures.ts';

test('the spec example document is valid with no errors and no warnings', () => {
  assert.deepEqual(validateFlowchart(SPEC_EXAMPLE), { valid: true, errors: [], warnings: [] });
});

test('the spec example document is valid with every context hook given', () => {
  const r = validateFlowchart(SPEC_EXAMPLE, {
    modelExists: (m) => m === 'demo-classifier',
    flowchartId: 'fc_1',
    resolveFlowchart: () => undefined,
  });
  assert.deepEqual(r, { valid: true, errors: [], warnings: [] });
});

test('validation does not mutate the document', () => {
  const doc = structuredClone(SPEC_EXAMPLE);
  validateFlowchart(doc);
  assert.deepEqual(doc, SPEC_EXAMPLE);
});

test('every problem is returned at once, across rules', () => {
  const doc = flow(
    [node('start', 'start'), task('a'), task('a'), node('end', 'end')],
    [edge('x', 'start', 'a'), edge('y', 'a', 'a'), edge('z', 'a', 'ghost'), edge('w', 'end', 'a')],
  );
  const codes = errorCodes(validateFlowchart(doc));
  for (const code of ['duplicate_id', 'self_loop', 'edge_dangling', 'edge_out_of_end']) assert.ok(codes.includes(code), code);
});

test('warnings alone leave the document valid', () => {
  const doc = chain('a');
  doc.nodes.push(task('island'));
  const r = validateFlowchart(doc);
  assert.equal(r.valid, true);
  assert.deepEqual(warningCodes(r), ['unreachable_node']);
});

test('an error makes the document invalid', () => {
  const doc = chain('a');
  doc.edges.push(edge('loop', 'a', 'a'));
  const r = validateFlowchart(doc);
  assert.equal(r.valid, false);
  assert.deepEqual(errorCodes(r), ['self_loop']);
});

test('every issue carries code, message and a JSON-pointer path', () => {
  const doc = chain('a');
  doc.edges.push(edge('bad', 'a', 'nowhere'));
  doc.nodes.push(task('island'));
  const r = validateFlowchart(doc);
  for (const i of [...r.errors, ...r.warnings]) {
    assert.equal(typeof i.code, 'string');
    assert.ok(i.message.length > 10);
    assert.match(i.path, /^\/(nodes|edges)(\/\d+)?/);
  }
});

test('a minimal start → end document is valid', () => {
  assert.deepEqual(validateFlowchart(chain()), { valid: true, errors: [], warnings: [] });
});
