import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROUTE_SCHEMAS } from '../src/openapi/route-schemas.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';
import { finishedRun, seedSlowFlowchart, startRun } from './support/realtime.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };

function openapiPath(key: string): [string, string] {
  const [method, path] = key.split(' ') as [string, string];
  return [method.toLowerCase(), path.replace(/:([A-Za-z_]+)/g, '{$1}')];
}

function pointer(doc: unknown, ref: string): unknown {
  return ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

/** A validator of the documented JSON response of `METHOD /path` for `status`. */
function responseValidator(doc: Doc, key: string, status: number | string) {
  const [m, p] = openapiPath(key);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'https://llmctl.test/openapi.json' });
  const ptr = `/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${m}/responses/${status}/content/application~1json/schema`;
  return ajv.compile({ $ref: `https://llmctl.test/openapi.json#${ptr}` });
}

test('OpenAPI', async (t) => {
  const s: TestServer = await startTestServer();
  try {
    const res = await s.request('GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body as Doc;

    await t.test('GET /api/openapi.json is OpenAPI 3.1 and describes every route with its request and response bodies', () => {
      assert.equal(doc.openapi, '3.1.0');
      assert.deepEqual(s.app.undocumentedRoutes, []);
      for (const key of Object.keys(ROUTE_SCHEMAS)) {
        const [m, p] = openapiPath(key);
        const op = doc.paths[p]?.[m];
        assert.ok(op, `${key} is not in the document`);
        assert.ok(op.summary, `${key} has no summary`);
        const okStatus = Object.keys(op.responses).find((c) => /^2\d\d$/.test(c));
        assert.ok(okStatus && op.responses[okStatus].content, `${key} has no described success body`);
        assert.ok(op.responses['4XX']?.content?.['application/json']?.schema, `${key} does not describe its errors`);
        if ((ROUTE_SCHEMAS[key] as { body?: unknown }).body) assert.ok(op.requestBody?.content, `${key} has no request body`);
      }
      assert.deepEqual(doc.paths['/api/health']!.get.security, []);
    });

    await t.test('every $ref of the document resolves inside it', () => {
      const refs: string[] = [];
      const walk = (n: unknown): void => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          for (const [k, v] of Object.entries(n)) {
            if (k === '$ref' && typeof v === 'string') refs.push(v);
            else walk(v);
          }
        }
      };
      walk(doc);
      assert.ok(refs.length > 20);
      for (const ref of refs) {
        assert.ok(ref.startsWith('#/'), `external ref ${ref}`);
        assert.ok(pointer(doc, ref) !== undefined, `unresolved ${ref}`);
      }
      for (const name of ['Run', 'NodeRun', 'Flowchart', 'FlowchartDocument', 'ErrorEnvelope', 'EventEnvelope', 'Model', 'ModelCreate', 'Artifact']) {
        assert.ok(doc.components.schemas[name], `component ${name}`);
      }
    });

    await t.test('the interactive reference is served at /api/docs', async () => {
      const page = await fetch(`${s.url}/api/docs`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /swagger/i);
      assert.equal((await s.request('GET', '/api/docs/json')).body.openapi, '3.1.0');
    });

    await t.test('query parameters failing their schema are 400 validation_failed envelopes naming the parameter', async () => {
      const cases: [string, string][] = [
        ['/api/flowcharts?per_page=abc', 'per_page'],
        ['/api/models?page=0', 'page'],
        ['/api/runs?status=bogus', 'status'],
        ['/api/runs?sort=bogus', 'sort'],
        ['/api/runs/run_0000000000aaaaaaaaaaaaaaaa/events?limit=5000', 'limit'],
        ['/api/rag/collections/x/search?top_k=99&q=a', 'top_k'],
      ];
      for (const [url, param] of cases) {
        const r = await s.request('GET', url);
        assert.equal(r.status, 400, url);
        assert.equal(r.body.ok, false);
        assert.equal(r.body.error.code, 'validation_failed', url);
        assert.equal(r.body.error.contract_version, 'v1');
        assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === param), `${url}: ${JSON.stringify(r.body.error.details)}`);
      }
      // Empty values mean "not given", as before; malformed ids stay 404; a bad document stays 422.
      assert.equal((await s.request('GET', '/api/flowcharts?sort=&order=&page=')).status, 200);
      assert.equal((await s.request('GET', '/api/flowcharts?order=DESC')).status, 200);
      assert.equal((await s.request('GET', '/api/runs/nope')).status, 404);
      assert.equal((await s.request('POST', '/api/flowcharts', { schema_version: 1, nodes: 'x' })).status, 422);
      assert.equal((await s.request('POST', '/api/models', { name: '' })).status, 400);
    });

    await t.test('responses are described, not filtered, and real responses match their documented schemas', async () => {
      const fc = await seedSlowFlowchart(s, { tasks: 1, delayMs: 1, name: 'doc' });
      const runId = await startRun(s, fc);
      await finishedRun(s, runId);
      const run = await s.request('GET', `/api/runs/${runId}`);
      assert.equal(typeof run.body.data.last_sequence, 'number', 'a field outside the contract schema was stripped');
      const model = await s.request('POST', '/api/models', scriptedModel('documented'));
      assert.equal(model.body.data.offline, true);
      const samples: [string, number, unknown][] = [
        ['GET /api/runs/:id', 200, run.body],
        ['POST /api/models', 201, model.body],
        ['GET /api/flowcharts', 200, (await s.request('GET', '/api/flowcharts')).body],
        ['GET /api/flowcharts/:id', 200, (await s.request('GET', `/api/flowcharts/${fc}`)).body],
        ['GET /api/runs', 200, (await s.request('GET', '/api/runs')).body],
        ['GET /api/runs/:id/events', 200, (await s.request('GET', `/api/runs/${runId}/events`)).body],
        ['GET /api/runs/:id/trace', 200, (await s.request('GET', `/api/runs/${runId}/trace`)).body],
        ['GET /api/models', 200, (await s.request('GET', '/api/models')).body],
        ['GET /api/settings/runtime', 200, (await s.request('GET', '/api/settings/runtime')).body],
        ['GET /api/providers', 200, (await s.request('GET', '/api/providers')).body],
      ];
      for (const [key, status, body] of samples) {
        const validate = responseValidator(doc, key, status);
        assert.ok(validate(body), `${key}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      }
      assert.equal(responseValidator(doc, 'GET /api/runs/:id', 200)({ ok: true, data: { id: 1 }, request_id: 'r', correlation_id: 'c' }), false, 'the check is vacuous');
      const notFound = await s.request('GET', '/api/models/mdl_0000000000aaaaaaaaaaaaaaaa');
      const validateError = responseValidator(doc, 'GET /api/models/:id', '4XX');
      assert.ok(validateError(notFound.body), JSON.stringify(validateError.errors));
      assert.equal(validateError({ ok: false }), false);
    });
  } finally {
    await s.close();
  }
});
