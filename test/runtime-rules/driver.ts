import type { ControlRequest, FlowchartDocument, Run } from '@llmctl/contracts';

/** A scripted model as registered through the API. */
export interface ScriptedModel {
  name: string;
  responses: Record<string, unknown>[];
}

/**
 * What a runtime-rules scenario needs from a system under test. Two drivers implement it: the orchestrator on the
 * in-memory store (engine-level) and the HTTP API of a real server on PostgreSQL (black-box).
 */
export interface RulesDriver {
  model(m: ScriptedModel): Promise<void>;
  /** Saves a flowchart (for sub-flowchart nodes); resolves with its id. */
  flowchart(doc: FlowchartDocument): Promise<string>;
  /** Creates the flowchart and starts a run; resolves with the run id. */
  start(doc: FlowchartDocument, input?: unknown): Promise<string>;
  get(runId: string): Promise<Run>;
  /** Waits until the run's status is one of `statuses` (default: terminal or paused). */
  wait(runId: string, statuses?: string[]): Promise<Run>;
  /** Waits until `pred` holds for the run. */
  until(runId: string, pred: (run: Run) => boolean): Promise<Run>;
  control(runId: string, req: ControlRequest): Promise<{ status: number; body: { ok: boolean; data?: any; error?: { code: string; details?: any } } }>;
  events(runId: string): Promise<{ sequence: number; event_type: string; payload: any }[]>;
  /** Model calls recorded for the run (drivers that can see them). */
  modelCalls?(runId: string): Promise<number>;
  close(): Promise<void>;
}

export const TERMINAL_OR_PAUSED = ['succeeded', 'failed', 'canceled', 'paused'];

/** A compact flowchart builder: edges as "a>b" or full objects; nodes default to `task` on model `m`. */
export function doc(
  nodes: (Partial<FlowchartDocument['nodes'][number]> & { id: string })[],
  edges: (string | (Partial<FlowchartDocument['edges'][number]> & { source: string; target: string }))[],
  settings?: FlowchartDocument['settings'],
): FlowchartDocument {
  return {
    schema_version: 1,
    name: 'rules scenario',
    ...(settings ? { settings } : {}),
    nodes: nodes.map((n) => ({ type: 'task', config: n.type && n.type !== 'task' ? undefined : { model: 'm', prompt: `node ${n.id}: {{upstream}}` }, ...n }) as FlowchartDocument['nodes'][number]).map((n) => {
      if (n.config === undefined) delete (n as { config?: unknown }).config;
      return n;
    }),
    edges: edges.map((e, i) => {
      if (typeof e === 'string') {
        const [source, target] = e.split('>') as [string, string];
        return { id: `e${i + 1}`, source, target };
      }
      return { id: `e${i + 1}`, ...e } as FlowchartDocument['edges'][number];
    }),
  };
}
