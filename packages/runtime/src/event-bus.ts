import { EventEmitter } from 'node:events';
import type { StoredEvent } from './ports.ts';

/** A committed log event as published (with the run's flowchart id for room routing). */
export interface PublishedEvent extends StoredEvent {
  flowchart_id: string;
}

/** An unlogged, unsequenced event (token streaming). */
export interface TransientEvent {
  event_type: string;
  run_id: string;
  flowchart_id: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
  request_id: string | null;
}

/**
 * In-process publication of committed events (published only after commit, in sequence order). The server's
 * realtime layer and long-polls subscribe here; other processes learn of commits through the store's notifications.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(events: PublishedEvent[]): void {
    for (const e of events) this.emitter.emit('event', e);
  }
  publishTransient(e: TransientEvent): void {
    this.emitter.emit('transient', e);
  }
  onEvent(fn: (e: PublishedEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
  onTransient(fn: (e: TransientEvent) => void): () => void {
    this.emitter.on('transient', fn);
    return () => this.emitter.off('transient', fn);
  }
}
