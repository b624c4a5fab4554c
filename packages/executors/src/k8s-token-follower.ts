import { Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { EXECUTOR_TOKEN_PREFIX } from './result-line.ts';

/**
 * Streams an executor pod's model text to the run's owner: follows the pod log (client-node `Log`, `follow=true`) and
 * emits each `LLMCTL_EXECUTOR_TOKEN=` line once, in order. When the pod is done, {@link finish} goes over the complete
 * log, so token lines a dropped or late log stream missed are still emitted, before the result.
 */
export class PodTokenFollower {
  private next = 0;
  private partial = '';
  private controller: AbortController | null = null;
  private stopped = false;

  constructor(private readonly emit: (delta: string) => void) {}

  /** Starts following the `executor` container's log of `pod` (a failure to start is left to {@link finish}). */
  async start(kc: KubeConfig, namespace: string, pod: string): Promise<void> {
    const k8s = await import('@kubernetes/client-node');
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.feed(chunk.toString());
        done();
      },
    });
    sink.on('error', () => undefined);
    const c = await new k8s.Log(kc).log(namespace, pod, 'executor', sink, { follow: true }).catch(() => null);
    if (this.stopped) c?.abort();
    else this.controller = c;
  }

  private feed(text: string): void {
    if (this.stopped) return;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith(EXECUTOR_TOKEN_PREFIX)) return;
    let m: { s?: unknown; t?: unknown };
    try {
      m = JSON.parse(line.slice(EXECUTOR_TOKEN_PREFIX.length)) as { s?: unknown; t?: unknown };
    } catch {
      return;
    }
    if (typeof m.s !== 'number' || typeof m.t !== 'string' || m.s < this.next) return;
    this.next = m.s + 1;
    this.emit(m.t);
  }

  /** Emits what the complete log holds beyond what was streamed, then stops following. */
  finish(log: string): void {
    this.stop();
    for (const line of log.split('\n')) this.line(line);
  }

  /** Stops following. */
  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.controller = null;
  }
}
