/**
 * The adapter of the runtime's tool port (`ToolPort` in @llmctl/runtime): each call runs through {@link invokeTool}
 * with the key the runtime chose, so a call whose result is in the ledger is replayed, never executed again. This
 * package does not depend on the runtime: the shapes below are the port's, matched structurally.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { REPLAY_INPUT_CHANGED, invokeTool } from './invoke-tool.ts';
import type { ArtifactSink, AuditSink, PersistedArtifact, ToolLedger } from './ports.ts';
import { ToolRegistry } from './tool-registry.ts';
import type { ToolSpecification } from './tool-registry.ts';
import type { ToolResult, ToolSpan } from './types.ts';

/** One call as the runtime's port hands it over. */
export interface PortToolCall {
  name: string;
  input: unknown;
  idempotency_key: string;
  run_id: string;
  node_run_id: string;
  node_id: string;
  flowchart_id: string;
  correlation_id: string | null;
  request_id: string | null;
  signal: AbortSignal;
  /** When present, a tool outside it is unknown to the call (a failed, audited call), even when registered. */
  offered?: readonly string[];
}

/** Options of {@link createToolPort}. */
export interface ToolPortOptions {
  registry: ToolRegistry;
  ledger: ToolLedger;
  artifacts: ArtifactSink;
  audit: AuditSink;
  /**
   * The workspace directory of a run; workspace, git and command tools are confined to it. It is created the first
   * time a tool other than memory / plan / milestone / rag is called in the run.
   */
  workspaceDir: (runId: string) => string;
  /** Called for every artifact a tool call persisted (publishing is best effort: a throw is ignored). */
  onArtifactPersisted?: (artifact: PersistedArtifact, call: PortToolCall) => void;
  /** Receives one span per invocation. */
  tracer?: (span: ToolSpan) => void;
}

/** The port the runtime calls. */
export interface ToolPortAdapter {
  invoke(call: PortToolCall): Promise<ToolResult & { replay_input_changed: boolean }>;
  specs(names: readonly string[]): ToolSpecification[];
}

const NO_TOOLS = new ToolRegistry();

/** Tools that keep their state in stores, not in the run workspace (no directory is created for them). */
const STATE_TOOLS = new Set(['memory', 'plan', 'milestone', 'rag']);

/** The tool port over a registry and the framework ports. */
export function createToolPort(o: ToolPortOptions): ToolPortAdapter {
  const prepared = new Set<string>();
  const workspace = async (runId: string, tool: string): Promise<string> => {
    const dir = path.resolve(o.workspaceDir(runId));
    if (!STATE_TOOLS.has(tool) && !prepared.has(dir)) {
      await mkdir(dir, { recursive: true });
      if (prepared.size > 10_000) prepared.clear();
      prepared.add(dir);
    }
    return dir;
  };
  return {
    specs: (names) => o.registry.specs(names),
    async invoke(call) {
      const artifacts: ArtifactSink = o.onArtifactPersisted
        ? {
            persist: async (a) => {
              const stored = await o.artifacts.persist(a);
              try {
                o.onArtifactPersisted?.(stored, call);
              } catch {
                // publishing is best effort; the artifact is stored
              }
              return stored;
            },
            list: (f) => o.artifacts.list(f),
          }
        : o.artifacts;
      const registry = call.offered && !call.offered.includes(call.name) ? NO_TOOLS : o.registry;
      const result = await invokeTool(registry, call.name, call.input, {
        idempotency_key: call.idempotency_key,
        correlation_id: call.correlation_id,
        request_id: call.request_id,
        run_id: call.run_id,
        node_run_id: call.node_run_id,
        flowchart_id: call.flowchart_id,
        workspace_dir: await workspace(call.run_id, call.name),
        signal: call.signal,
        ledger: o.ledger,
        artifacts,
        audit: o.audit,
        ...(o.tracer ? { tracer: o.tracer } : {}),
      });
      return { ...result, replay_input_changed: result.warnings.some((w) => w.code === REPLAY_INPUT_CHANGED) };
    },
  };
}
