/**
 * Fuzzing (issue 13): requests generated from the OpenAPI document — every path × method, path and query parameters,
 * bodies — with hostile values, plus raw malformed HTTP over a socket. Every response must be below 500 and be the
 * envelope (`ok: true` with data, or `ok: false` with a registered code). CI runs a bounded number; the long mode is
 * `LLMCTL_FUZZ_RUNS=10000` (requests of the API property; the raw property runs a tenth as many), and
 * `LLMCTL_FUZZ_SEED` replays a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { envelopeProblem } from './support/envelope.ts';
import { operationsOf, rawRequest, requestArbitrary, type FuzzRequest } from './support/openapi-requests.ts';
import { parseRawResponse, rawExchange } from './support/raw-http.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const RUNS = Number(process.env.LLMCTL_FUZZ_RUNS ?? 1500);
const SEED = process.env.LLMCTL_FUZZ_SEED ? Number(process.env.LLMCTL_FUZZ_SEED) : undefined;
/** Successful responses of these routes are not enveloped by design (a document, the Prometheus text). */
const UNENVELOPED_OK = new Set(['GET /api/openapi.json', 'GET /metrics']);

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  /** `GET /api/health` answers 503 when the database does not answer within its 3 s deadline. */
  healthDeadlines: number;
}

/**
 * The one 5xx that says nothing about the request: the health check's database deadline passing on an overloaded
 * machine (seen once in 10,000 requests at a load average of 30). Counted and reported, not failed.
 */
function isHealthDeadline(r: FuzzRequest, status: number, text: string): boolean {
  if (status !== 503 || !r.url.startsWith('/api/health') || r.method !== 'GET') return false;
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; details?: { reason?: string; database_error?: string } } }).error;
    return e?.code === 'unavailable' && e.details?.reason === 'database_unreachable' && /no answer within/.test(e.details.database_error ?? '');
  } catch {
    return false;
  }
}

function count(t: Tally, status: number): void {
  t.requests += 1;
  t.byStatus.set(status, (t.byStatus.get(status) ?? 0) + 1);
}

/** Sends a generated request; returns a problem description, or undefined when the answer is acceptable. */
async function check(s: TestServer, r: FuzzRequest, tally: Tally): Promise<string | undefined> {
  const res = await fetch(`${s.url}${r.url}`, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  count(tally, res.status);
  const where = `${r.method} ${r.url.slice(0, 300)} (${r.op}) → ${res.status}`;
  if (res.status >= 500 && isHealthDeadline(r, res.status, text)) {
    tally.healthDeadlines += 1;
    return undefined;
  }
  if (res.status >= 500) return `${where}: ${text.slice(0, 400)}`;
  if (!res.headers.get('x-request-id')) return `${where}: no X-Request-ID`;
  if (r.method === 'HEAD' || (res.status < 300 && UNENVELOPED_OK.has(r.op) && r.method === r.op.split(' ')[0])) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${where}: not JSON: ${text.slice(0, 200)}`;
  }
  const problem = envelopeProblem(res.status, body);
  return problem ? `${where}: ${problem}: ${text.slice(0, 300)}` : undefined;
}

async function seed(s: TestServer): Promise<string[]> {
  const model = await s.request('POST', '/api/models', scriptedModel('m1'));
  const fc1 = await s.request('POST', '/api/flowcharts', validDoc('Fuzz target', 'm1'));
  const run = await s.request('POST', `/api/flowcharts/${fc1.body.data.id}/runs`, { input: { name: 'fuzz' } });
  const rag = await s.request('POST', '/api/rag/collections', { name: 'fuzz-docs' });
  const ids = [model.body.data?.id, fc1.body.data?.id, run.body.data?.id, rag.body.data?.id].filter((x): x is string => typeof x === 'string');
  assert.equal(ids.length, 4, 'seeding failed');
  return [...ids, 'fuzz-docs'];
}

test(`fuzzed API requests from the OpenAPI document: no 5xx, every response the envelope (${RUNS} requests)`, async (t) => {
  const s = await startTestServer({ config: { rateLimit: null } });
  try {
    const doc = (await s.request('GET', '/api/openapi.json')).body;
    const ops = operationsOf(doc);
    assert.ok(ops.length >= 30, `only ${ops.length} operations`);
    const ids = await seed(s);
    const tally: Tally = { requests: 0, byStatus: new Map(), healthDeadlines: 0 };
    const arb = fc.oneof(...ops.map((op) => requestArbitrary(op, doc, ids)));
    await fc.assert(fc.asyncProperty(arb, async (r) => {
      const problem = await check(s, r, tally);
      if (problem) throw new Error(problem);
    }), { numRuns: RUNS, seed: SEED, includeErrorInReport: true });
    const statuses = [...tally.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}:${v}`).join(' ');
    t.diagnostic(`fuzz-api requests=${tally.requests} operations=${ops.length} statuses ${statuses} health-deadline-503s=${tally.healthDeadlines}`);
    // The generator reaches past validation: some requests succeed, and the server is healthy at the end.
    assert.ok([...tally.byStatus.keys()].some((k) => k < 300), statuses);
    assert.equal((await s.request('GET', '/api/health')).status, 200);
  } finally {
    await s.close();
  }
});

test(`fuzzed raw HTTP requests: any answer is below 500 and the envelope (${Math.ceil(RUNS / 10)} connections)`, async (t) => {
  const s = await startTestServer({ config: { rateLimit: null } });
  try {
    let answered = 0;
    let unanswered = 0;
    await fc.assert(fc.asyncProperty(rawRequest, async (raw) => {
      const res = parseRawResponse(await rawExchange(s.url, raw));
      if (!res) {
        unanswered += 1; // e.g. CONNECT, or the server closed on a reset while the client still wrote
        return;
      }
      answered += 1;
      assert.ok(res.status < 500, `${JSON.stringify(raw.slice(0, 200))} → ${res.raw.slice(0, 300)}`);
      if (/^HEAD /.test(raw) || res.status === 100) return;
      // Targets outside the API (`*`, `/`, absolute forms) may reach the studio's pages, which are HTML by design.
      if (res.status < 400 && /^text\/html/.test(res.headers['content-type'] ?? '')) return;
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        assert.fail(`${JSON.stringify(raw.slice(0, 200))} → not JSON: ${res.raw.slice(0, 300)}`);
      }
      const isDoc = res.status === 200 && /^GET \/(api\/openapi\.json|metrics) /.test(raw);
      if (!isDoc) assert.equal(envelopeProblem(res.status, body), undefined, `${JSON.stringify(raw.slice(0, 200))} → ${res.raw.slice(0, 300)}`);
    }), { numRuns: Math.ceil(RUNS / 10), seed: SEED, includeErrorInReport: true });
    t.diagnostic(`fuzz-raw connections answered=${answered} unanswered=${unanswered}`);
    assert.ok(answered > 0);
    assert.equal((await s.request('GET', '/api/health')).status, 200);
  } finally {
    await s.close();
  }
});
