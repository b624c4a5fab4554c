import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXECUTORS_BEGIN, EXECUTORS_END } from '../src/executors-bench.ts';
import { composeReport } from '../src/run-all.ts';

const FOOTPRINT = '<!-- serve-footprint:begin -->\n## Footprint\n| a |\n<!-- serve-footprint:end -->';
const EXECUTORS = `${EXECUTORS_BEGIN}\n## Executors: inline vs queue workers (issue 14)\n| inline | 4.15 |\n${EXECUTORS_END}`;

test('a full bench run keeps the serve-footprint and executors sections of the previous report (it used to drop the executors one)', () => {
  const previous = `# Old report\nold body\n\n${FOOTPRINT}\n\n${EXECUTORS}\n`;
  const out = composeReport('# New report\nnew body\n', previous);
  assert.ok(out.startsWith('# New report\nnew body\n'));
  assert.ok(!out.includes('old body'));
  assert.ok(out.includes(FOOTPRINT));
  assert.ok(out.includes(EXECUTORS), 'the executors section is kept');
  assert.equal(out.indexOf(EXECUTORS_BEGIN), out.lastIndexOf(EXECUTORS_BEGIN));
});

test('a full bench run that measured the executors replaces their section, once', () => {
  const fresh = `${EXECUTORS_BEGIN}\n## Executors\n| inline | 9.99 |\n${EXECUTORS_END}`;
  const out = composeReport('# New\n', `# Old\n\n${FOOTPRINT}\n\n${EXECUTORS}\n`, fresh);
  assert.ok(out.includes(fresh));
  assert.ok(!out.includes('4.15'));
  assert.ok(out.includes(FOOTPRINT));
  // first report ever: only what was measured
  assert.equal(composeReport('# New\n', '', fresh), `# New\n\n${fresh}\n`);
});
