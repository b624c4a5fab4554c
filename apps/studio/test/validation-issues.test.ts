import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexIssues, worstSeverity } from '../src/core/validation-issues.ts';
import { triageDoc } from './fixtures.ts';

test('issues attach to the node or edge they name', () => {
  const idx = indexIssues({
    errors: [{ code: 'decision_no_outputs', message: 'm', node_id: 'route', path: '/nodes/2' }, { code: 'self_loop', message: 'm', edge_id: 'e3', path: '/edges/2' }],
    warnings: [],
  });
  assert.equal(idx.byNode.get('route')![0]!.code, 'decision_no_outputs');
  assert.equal(idx.byEdge.get('e3')![0]!.code, 'self_loop');
  assert.equal(idx.general.length, 0);
});

test('schema errors without ids are located through their JSON pointer path', () => {
  const idx = indexIssues({ errors: [{ code: 'schema_invalid', message: 'm', path: '/nodes/1/config/model' }, { code: 'schema_invalid', message: 'm', path: '/edges/3' }], warnings: [] }, triageDoc());
  assert.equal(idx.byNode.get('classify')!.length, 1);
  assert.equal(idx.byEdge.get('e4')!.length, 1);
});

test('problems about the whole document are general and warnings keep their severity', () => {
  const idx = indexIssues({ errors: [{ code: 'start_missing', message: 'm', path: '' }], warnings: [{ code: 'unreachable_node', message: 'w', node_id: 'x', path: '/nodes/0' }] });
  assert.equal(idx.general[0]!.code, 'start_missing');
  assert.equal(worstSeverity(idx.byNode.get('x')), 'warning');
  assert.equal(worstSeverity(idx.all), 'error');
  assert.equal(worstSeverity([]), null);
});
