/**
 * `llmctl migrate` as a user runs it: a file (dry run and --apply against a server), a local stub of llmctl's HTTP
 * API (--from-url) and a PostgreSQL database holding llmctl's tables (--from-database; DDL from its SQLAlchemy models).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { cliEnv, runCli } from './support/cli.ts';
import { startTestServer } from './support/test-server.ts';
import { multiMatchWithJoin, routeKeyDecision, untranslatableCondition } from '../../../packages/migrate/test/fixtures/legacy-graphs.ts';

const dir = mkdtempSync(join(tmpdir(), 'llmctl-migrate-'));
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v)); return p; };
const mapFile = file('map.json', { '7': 'demo', '8': 'demo' });
const env = cliEnv();

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a dry run prints a table, writes the report JSON and exits 0 when every flowchart is ready', async () => {
  const out = join(dir, 'report.json');
  const r = await runCli(['migrate', file('ok.json', { flowcharts: [multiMatchWithJoin, routeKeyDecision] }), '--model-map', mapFile, '--report-json', out], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /LEGACY\s+FLOWCHART\s+STATUS\s+ERRORS\s+WARNINGS/);
  assert.match(r.stdout, /41\s+triage-multi-match\s+ready\s+0/);
  assert.match(r.stderr, /2\/2/);
  const batch = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual([batch.flowchart_count, batch.ready_count, batch.blocked_count, batch.reports.length], [2, 2, 0, 2]);
  assert.equal(batch.reports[1].source.legacy_id, 42);
});

test('exit 2 when any flowchart is blocked, 1 on a malformed export', async () => {
  const blocked = await runCli(['migrate', file('blocked.json', [routeKeyDecision, untranslatableCondition]), '--model-map', mapFile], env);
  assert.equal(blocked.code, 2, blocked.stderr);
  assert.match(blocked.stdout, /100\s+legacy-decision\s+blocked/);
  const bad = await runCli(['migrate', file('bad.json', '{"flowcharts": [{"flowchart": {"id": 1}, "nodes": 3, "edges": []}]}')], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /migration_input_invalid/);
  const notJson = await runCli(['migrate', file('nojson.json', '{nope')], env);
  assert.equal(notJson.code, 1);
});

test('--apply sends the ready flowcharts to the server', async () => {
  const s = await startTestServer();
  try {
    const m = await s.request('POST', '/api/models', { name: 'demo', provider: 'scripted', settings: { responses: [{ output: 'ok' }] } });
    assert.equal(m.status, 201, m.text);
    const r = await runCli(['migrate', file('apply.json', [multiMatchWithJoin, untranslatableCondition]), '--model-map', mapFile, '--apply', '--server', s.url], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /41\s+triage-multi-match\s+ready\s+0\s+\d+\s+fc_\S+ v1/);
    assert.match(r.stdout, /1 applied/);
    assert.equal((await s.request('GET', '/api/flowcharts')).body.page.total, 1);
  } finally {
    await s.close();
  }
});

test('--from-url reads a live llmctl over its HTTP API (list, then each graph)', async () => {
  const seen: string[] = [];
  const graphs = new Map([[41, multiMatchWithJoin], [42, routeKeyDecision]]);
  const stub = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
    const m = /^\/api\/flowcharts\/(\d+)\/graph$/.exec(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/flowcharts') res.end(JSON.stringify({ flowcharts: [...graphs.values()].map((g) => ({ ...g.flowchart, node_count: g.nodes.length })) }));
    else if (m && graphs.has(Number(m[1]))) { const g = graphs.get(Number(m[1]))!; res.end(JSON.stringify({ flowchart_id: g.flowchart.id, nodes: g.nodes, edges: g.edges, validation: { valid: true, errors: [] } })); }
    else { res.statusCode = 404; res.end('{}'); }
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  try {
    const port = (stub.address() as { port: number }).port;
    const r = await runCli(['migrate', '--from-url', `http://127.0.0.1:${port}`, '--model-map', mapFile], { ...env, LLMCTL_LEGACY_TOKEN: 'legacy-secret' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 flowchart\(s\): 2 ready/);
    assert.deepEqual(seen, ['/api/flowcharts Bearer legacy-secret', '/api/flowcharts/41/graph Bearer legacy-secret', '/api/flowcharts/42/graph Bearer legacy-secret']);
    assert.ok(!r.stdout.includes('legacy-secret') && !r.stderr.includes('legacy-secret'));
    const down = await runCli(['migrate', '--from-url', 'http://127.0.0.1:9'], env);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /legacy_source_unavailable/);
  } finally {
    await new Promise((r) => stub.close(r));
  }
});

test('--from-database reads llmctl\'s tables in one read-only snapshot; another database is legacy_database_invalid', async () => {
  const legacy = await createTestDatabase();
  const ours = await createTestDatabase({ migrated: true });
  try {
    const c = new pg.Client({ connectionString: legacy.url });
    await c.connect();
    await c.query(readFileSync(new URL('../../../packages/migrate/test/fixtures/llmctl-schema.sql', import.meta.url), 'utf8'));
    await c.query("INSERT INTO llm_models VALUES (7, 'gpt'), (8, 'claude'); INSERT INTO mcp_servers VALUES (99, 'llmctl-mcp')");
    for (const g of [multiMatchWithJoin, routeKeyDecision]) {
      const f = g.flowchart;
      await c.query('INSERT INTO flowcharts (id, name, description, max_node_executions, max_runtime_minutes, max_parallel_nodes) VALUES ($1, $2, $3, $4, $5, $6)',
        [f.id, f.name, f.description ?? null, f.max_node_executions ?? null, f.max_runtime_minutes ?? null, f.max_parallel_nodes ?? 1]);
      for (const n of g.nodes) {
        await c.query('INSERT INTO flowchart_nodes (id, flowchart_id, node_type, title, x, y, config_json, model_id) VALUES ($1 + $2 * 100, $2, $3, $4, $5, $6, $7, $8)',
          [n.id, f.id, n.node_type, n.title ?? null, n.x ?? 0, n.y ?? 0, JSON.stringify(n.config ?? {}), n.model_id ?? null]);
      }
      for (const e of g.edges) {
        await c.query('INSERT INTO flowchart_edges (id, flowchart_id, source_node_id, target_node_id, edge_mode, condition_key) VALUES ($1 + $2 * 100, $2, $3 + $2 * 100, $4 + $2 * 100, $5, $6)',
          [e.id, f.id, e.source_node_id, e.target_node_id, e.edge_mode ?? 'solid', e.condition_key ?? null]);
      }
    }
    await c.query('INSERT INTO flowchart_node_mcp_servers VALUES (4102, 99)');
    await c.end();
    const out = join(dir, 'db-report.json');
    const r = await runCli(['migrate', '--from-database', legacy.url, '--model-map', mapFile, '--report-json', out], env);
    assert.equal(r.code, 2, r.stderr);
    const batch = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(batch.reports.map((x: any) => [x.source.kind, x.source.legacy_id, x.compatibility_gate.status]), [['llmctl_database', 41, 'blocked'], ['llmctl_database', 42, 'ready']]);
    assert.ok(batch.reports[0].compatibility_gate.blocking_issue_codes.includes('binding_mcp_unsupported'), 'bindings come from the association tables');
    assert.equal(batch.reports[1].document.nodes[2].id, 'n4203');
    const wrong = await runCli(['migrate', '--from-database', ours.url], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /legacy_database_invalid/);
  } finally {
    await legacy.drop();
    await ours.drop();
  }
});
