import type { Run } from '@llmctl/contracts';
import type { RulesDriver } from './driver.ts';
import { TERMINAL_OR_PAUSED } from './driver.ts';

type Requester = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** The runtime-rules driver over the HTTP API of a real server (PostgreSQL, orchestrator, routes). */
export function httpDriver(request: Requester, close: () => Promise<void>): RulesDriver {
  const must = async (method: string, path: string, body?: unknown, expect = [200, 201]) => {
    const r = await request(method, path, body);
    if (!expect.includes(r.status)) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body).slice(0, 800)}`);
    return r.body.data;
  };
  const driver: RulesDriver = {
    async model(m) {
      const found = (await must('GET', `/api/models?q=${encodeURIComponent(m.name)}&per_page=100`)) as { id: string; name: string }[];
      const existing = found.find((x) => x.name === m.name);
      const body = { name: m.name, provider: 'scripted', model: 'scripted', settings: { responses: m.responses } };
      if (existing) await must('PUT', `/api/models/${existing.id}`, body);
      else await must('POST', '/api/models', body);
    },
    async flowchart(doc) {
      return (await must('POST', '/api/flowcharts', doc)).id;
    },
    async start(doc, input = {}) {
      const fc = await driver.flowchart(doc);
      return (await must('POST', `/api/flowcharts/${fc}/runs`, { input })).id;
    },
    async get(id) {
      return must('GET', `/api/runs/${id}`) as Promise<Run>;
    },
    wait(id, statuses = TERMINAL_OR_PAUSED) {
      return driver.until(id, (r) => statuses.includes(r.status));
    },
    async until(id, pred) {
      for (let i = 0; ; i++) {
        const run = await driver.get(id);
        if (pred(run)) return run;
        if (i > 2400) throw new Error(`run ${id} never reached the expected state (status ${run.status})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async control(id, req) {
      return request('POST', `/api/runs/${id}/control`, req);
    },
    async events(id) {
      const out: { sequence: number; event_type: string; payload: any }[] = [];
      for (let after = 0; ; ) {
        const r = await request('GET', `/api/runs/${id}/events?after_sequence=${after}&limit=1000`);
        out.push(...r.body.data);
        if (r.body.data.length < 1000) return out;
        after = r.body.page.next_after_sequence;
      }
    },
    close,
  };
  return driver;
}
