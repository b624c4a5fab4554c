import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '@llmctl/runtime';
import { ServerMetrics } from '../src/index.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Issue 18 ("metrics from counters, not table scans"): a scrape reports finished runs from counters incremented as
// runs end, active runs from a query bounded to live rows, and never counts the whole runs / node_runs tables.

const MODEL = { name: 'mm', provider: 'scripted', model: 'scripted', settings: { responses: [{ match: 'ok', output: 'fine' }, { match: 'slow', output: 'later', fail_times: 1 }] } };

function flow(name: string, prompt: string, retry?: Record<string, number>) {
  return {
    schema_version: 1, name,
    nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', ...(retry ? { retry } : {}), config: { model: 'mm', prompt } }, { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
  };
}

async function runToEnd(s: TestServer, fc: string): Promise<string> {
  const run = await s.request('POST', `/api/flowcharts/${fc}/runs`, { input: {} });
  assert.equal(run.status, 201, run.text);
  const done = await s.request('GET', `/api/runs/${run.body.data.id}?wait_s=30`);
  return done.body.data.status as string;
}

/** The value of one sample of the exposition text (null when absent). */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

test('a scrape counts started and finished runs from counters and active runs from live rows, without scanning runs or node_runs', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', MODEL)).status, 201);
    const ok = (await s.request('POST', '/api/flowcharts', flow('metrics ok', 'ok'))).body.data.id as string;
    const bad = (await s.request('POST', '/api/flowcharts', flow('metrics bad', 'no scripted answer matches this'))).body.data.id as string;
    // Fails its first attempt, then waits an hour before the retry: the run stays `running` until canceled.
    const held = (await s.request('POST', '/api/flowcharts', flow('metrics held', 'slow', { max_attempts: 2, backoff_ms: 3_600_000 }))).body.data.id as string;
    assert.equal(await runToEnd(s, ok), 'succeeded');
    assert.equal(await runToEnd(s, ok), 'succeeded');
    assert.equal(await runToEnd(s, bad), 'failed');
    const running = await s.request('POST', `/api/flowcharts/${held}/runs`, { input: {} });
    assert.equal(running.body.data.status, 'running');

    const text = await fetch(`${s.url}/metrics`).then((r) => r.text());
    assert.equal(sample(text, 'llmctl_runs_started_total'), 4);
    assert.equal(sample(text, 'llmctl_runs_finished_total{status="succeeded"}'), 2);
    assert.equal(sample(text, 'llmctl_runs_finished_total{status="failed"}'), 1);
    assert.equal(sample(text, 'llmctl_runs{status="running"}'), 1, 'the held run is active');
    assert.equal(sample(text, 'llmctl_runs{status="succeeded"}'), null, 'finished runs are not counted from rows');
    assert.ok(sample(text, 'llmctl_runs_stored_estimate') !== null);

    // Every statement a scrape sends (a second metrics instance on a recording view of the same database; the app's
    // own pool also carries the runs' commits meanwhile).
    const sent: string[] = [];
    const recording = {
      query: (...args: unknown[]) => {
        const q = args[0] as string | { text: string };
        sent.push(typeof q === 'string' ? q : q.text);
        return (s.db.pool.query as (...a: unknown[]) => unknown).apply(s.db.pool, args);
      },
    };
    const probe = await new ServerMetrics(recording as unknown as typeof s.db.pool, new EventBus()).text();
    assert.equal(sample(probe, 'llmctl_runs{status="running"}'), 1);
    // Identifiers may be quoted (the store's typed SQL, Kysely, quotes them).
    const touching = sent.filter((q) => /\bFROM\s+"?(runs|node_runs)\b/i.test(q));
    assert.equal(touching.length, 2, `the scrape reads active runs and node runs: ${sent.join(' | ')}`);
    for (const q of touching) assert.match(q, /\bWHERE\s+"?status"?\s+IN\s*\(/i, `bounded to live rows: ${q}`);

    // Ending the held run moves it from the gauge to the counter.
    const cancel = await s.request('POST', `/api/runs/${running.body.data.id}/control`, { action: 'cancel' });
    assert.equal(cancel.status, 200, cancel.text);
    assert.equal((await s.request('GET', `/api/runs/${running.body.data.id}?wait_s=30`)).body.data.status, 'canceled');
    const after = await fetch(`${s.url}/metrics`).then((r) => r.text());
    assert.equal(sample(after, 'llmctl_runs_finished_total{status="canceled"}'), 1);
    assert.equal(sample(after, 'llmctl_runs{status="running"}'), null);
  } finally {
    await s.close();
  }
});
