import type { ConcurrencyResult } from '../sections/concurrency.ts';
import type { Shape } from '../workloads.ts';

/** Prefix of every reply line the Restate child writes on stdout. */
export const REPLY_PREFIX = '@@restate-bench ';

/** A command the driver sends to the child (one JSON line on its stdin). */
export type RestateCommand =
  | { id: number; op: 'run'; shape: Shape }
  | { id: number; op: 'concurrency'; runs: number; batches: number }
  | { id: number; op: 'close' };

/** What the child reports once restate-server is up and the deployment answers (reply id 0). */
export interface RestateReady {
  version: string;
  /** restate-server's process id and temp folder (both gone once the child has closed). */
  serverPid: number;
  dataDir: string;
  /** Endpoint start + server start + registration + first invocation (ms). */
  startMs: number;
}

/** Figures of the concurrency workload measured in the child (memory: restate-server + the child's Node process). */
export interface RestateConcurrencyFigures
  extends Pick<ConcurrencyResult, 'batchMs' | 'runsPerSecond' | 'latencyMs' | 'latencyP99' | 'baselineRssMb' | 'peakRssMb' | 'peakHeapMb'> {
  serverBaselineRssMb: number;
  serverPeakRssMb: number;
}
