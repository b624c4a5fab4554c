/** Shared fixture and builders of the port contract suites (not exported from the package). */
import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '@llmctl/engine';
import type { Commit, RunProjection, RunStore } from '../ports.ts';

/** What the suites need of an adapter: the store (every port of it), and a flowchart (version 1) runs may reference. */
export interface RunStoreFixture {
  store: RunStore;
  flowchartId: string;
  /** Releases what `open` acquired (called after each test). */
  close?: () => Promise<void>;
}

/** Opens a fresh fixture per test. */
export type OpenFixture = () => Promise<RunStoreFixture>;

export const ME = 'llmctl:contract-host:1:me';
export const OTHER = 'llmctl:contract-host:2:other';
export const TTL = 60_000;

export function projection(status: RunProjection['status'], output: unknown = null): RunProjection {
  return { status, input: {}, output, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null };
}

/** A commit of `kinds` events after `expected`, under lease `epoch` of {@link ME} (null: unfenced by lease). */
export function commitOf(runId: string, expected: number, epoch: number | null, kinds: string[], status: RunProjection['status'] = 'running', extra: Partial<Commit> = {}): Commit {
  return {
    run_id: runId, expected_sequence: expected, lease: epoch === null ? null : { owner: ME, epoch },
    events: kinds.map((kind, i) => ({
      sequence: expected + i + 1, event_id: `ev_${randomUUID()}`, event_type: 'flowchart:run:updated',
      payload: { kind, note: `event ${expected + i + 1}` } as unknown as EngineEvent, request_id: null, correlation_id: null,
    })),
    node_runs: [], run: projection(status), ...extra,
  };
}

export const newRunId = (): string => `run_${randomUUID().replace(/-/g, '').slice(0, 26)}`;

/** A test body run on a fixture with one created run; the fixture is closed afterwards. */
export function withRun(open: OpenFixture, body: (f: RunStoreFixture & { runId: string }) => Promise<void>): () => Promise<void> {
  return async () => {
    const f = await open();
    try {
      const runId = newRunId();
      await f.store.createRun({ id: runId, flowchart_id: f.flowchartId, flowchart_version: 1, input: { n: 1 } });
      await body({ ...f, runId });
    } finally {
      await f.close?.();
    }
  };
}
