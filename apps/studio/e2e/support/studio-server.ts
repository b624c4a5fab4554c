/**
 * A real llmctl server serving the current studio build, plus small API helpers for seeding (models, flowcharts,
 * runs) and for reading the server's own record (runs, event log) to compare with what the browser shows.
 */
import type { FlowchartDocument, Run } from '@llmctl/contracts';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../server/test/support/test-server.ts';
import { ensureStudioBuild } from './studio-build.ts';

/** A scripted response (flowchart-v1.md "The scripted provider"). */
export interface ScriptedResponse {
  match?: string;
  output?: unknown;
  delay_ms?: number;
  fail_times?: number;
  fail_code?: string;
}

/** A started server with the studio at `url` and API helpers. */
export interface StudioServer {
  url: string;
  server: TestServer;
  /** Calls the API and returns `data`; throws with the status and body on anything but 2xx. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Registers a scripted model and returns its id. */
  scriptedModel(name: string, responses: ScriptedResponse[]): Promise<string>;
  /** Replaces the scripted responses of a model (e.g. to release a held response: the next call answers at once). */
  setResponses(modelId: string, responses: ScriptedResponse[]): Promise<void>;
  /**
   * Releases a run held by a scripted response: swaps the model's responses, pauses the run with `mode: now` (which
   * aborts the held call), waits until it is paused, and resumes it. Gated on the run's status, never on a delay.
   */
  release(runId: string, modelId: string, responses: ScriptedResponse[]): Promise<void>;
  /** Creates a flowchart and returns its id. */
  flowchart(doc: FlowchartDocument): Promise<string>;
  /** Starts a run of the latest version and returns its id. */
  startRun(flowchartId: string, input?: unknown): Promise<string>;
  run(id: string): Promise<Run>;
  /** The whole logged event list of a run, in sequence order. */
  events(runId: string): Promise<{ sequence: number; event_type: string }[]>;
  close(): Promise<void>;
}

/** Builds the studio if needed and starts a server that serves it (with `logger`, its logs go there). */
export async function startStudioServer(opts: { logger?: TestServerOptions['logger'] } = {}): Promise<StudioServer> {
  const studioDist = await ensureStudioBuild();
  const server = await startTestServer({ config: { studioDist }, ...(opts.logger ? { logger: opts.logger } : {}) });
  const api = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await server.request(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${r.text.slice(0, 800)}`);
    return r.body.data as T;
  };
  return {
    url: server.url,
    server,
    api,
    async scriptedModel(name, responses) {
      return (await api<{ id: string }>('POST', '/api/models', { name, provider: 'scripted', model: 'scripted', settings: { responses } })).id;
    },
    async setResponses(modelId, responses) {
      await api('PUT', `/api/models/${encodeURIComponent(modelId)}`, { settings: { responses } });
    },
    async release(runId, modelId, responses) {
      await api('PUT', `/api/models/${encodeURIComponent(modelId)}`, { settings: { responses } });
      const path = `/api/runs/${encodeURIComponent(runId)}`;
      await api('POST', `${path}/control`, { action: 'pause', mode: 'now', reason: 'e2e: release a held response' });
      // Long-poll until the run is paused (the server answers as soon as it is).
      for (let i = 0; (await api<Run>('GET', `${path}?wait_s=10`)).status !== 'paused'; i++) {
        if (i > 30) throw new Error(`run ${runId} did not reach paused`);
      }
      await api('POST', `${path}/control`, { action: 'resume' });
    },
    async flowchart(doc) {
      return (await api<{ id: string }>('POST', '/api/flowcharts', doc)).id;
    },
    async startRun(flowchartId, input = {}) {
      return (await api<{ id: string }>('POST', `/api/flowcharts/${encodeURIComponent(flowchartId)}/runs`, { input })).id;
    },
    run(id) {
      return api<Run>('GET', `/api/runs/${encodeURIComponent(id)}`);
    },
    async events(runId) {
      const out: { sequence: number; event_type: string }[] = [];
      for (let after = 0; ; ) {
        const r = await server.request('GET', `/api/runs/${encodeURIComponent(runId)}/events?after_sequence=${after}&limit=1000`);
        if (r.status !== 200) throw new Error(`events → ${r.status}: ${r.text.slice(0, 400)}`);
        const page = r.body.data as { sequence: number; event_type: string }[];
        out.push(...page);
        const next = r.body.page?.next_after_sequence;
        if (page.length === 0 || next === undefined || next === null || next === after) return out;
        after = next;
      }
    },
    close: () => server.close(),
  };
}
