/**
 * The supervisor of a running embedded PostgreSQL: a detached watchdog process stops the postmaster when llmctl dies
 * (even by SIGKILL), and a postmaster that dies while llmctl runs is restarted on the same port with backoff.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { clearLeftoverPostmaster, launchPostmaster, pgEnv, tail, type LaunchSpec } from './embedded-launch.ts';
import { isPostmasterOf, stopPostmaster, waitForExit } from './embedded-process.ts';
import { WATCHDOG_SOURCE } from './embedded-watchdog.ts';
import type { StoreLogger } from './pool.ts';

/** State of the embedded PostgreSQL as its supervisor sees it. */
export type EmbeddedState = 'running' | 'restarting' | 'failed' | 'stopped';

/** Restart policy after an unexpected exit of the postmaster: delays `baseDelayMs × 2^(n-1)` capped at `maxDelayMs`. */
export interface RestartPolicy {
  /** Attempts per outage before giving up (state `failed`); default 8. */
  maxAttempts: number;
  /** Default 200 ms. */
  baseDelayMs: number;
  /** Default 5 000 ms. */
  maxDelayMs: number;
}

/** Default {@link RestartPolicy}: 8 attempts over about 21 s. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The postmaster exited while nobody asked it to. */
export interface DownInfo { pid: number; code: number | null; signal: NodeJS.Signals | null }
/** The postmaster is back (same port). */
export interface RestartInfo { pid: number; previousPid: number; attempts: number }
/** Every restart attempt of an outage failed; the database stays down until llmctl is restarted. */
export interface FailedInfo { attempts: number; lastLog: string }

/** The watchdog of one cluster: told every postmaster pid; released before an orderly stop. */
class Watchdog {
  private readonly child: ChildProcess;

  constructor(pgDir: string) {
    this.child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, pgDir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: pgEnv() });
    this.child.on('error', () => undefined);
    this.child.stdin!.on('error', () => undefined);
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  watch(pid: number): void {
    this.child.stdin!.write(`pid ${pid}\n`);
  }

  release(): void {
    this.child.stdin!.end('release\n');
  }
}

type Listener<T> = (info: T) => void;

/** Owns the postmaster process after its first start. */
export class PostmasterSupervisor {
  private current: ChildProcess | undefined;
  private stateNow: EmbeddedState = 'running';
  private readonly watchdog: Watchdog;
  private readonly listeners = new Map<string, Set<Listener<never>>>();
  private stopping: Promise<void> | undefined;
  private recovery: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  /** Starts the watchdog: call before the first launch, and pass {@link watch} as its `onSpawn`. */
  constructor(private readonly spec: LaunchSpec, private readonly policy: RestartPolicy, private readonly logger?: StoreLogger) {
    this.watchdog = new Watchdog(spec.pgDir);
  }

  /** Tells the watchdog about a postmaster pid (as soon as it is spawned). */
  readonly watch = (pid: number): void => this.watchdog.watch(pid);

  /** Takes over the first, ready postmaster. */
  adopt(child: ChildProcess): void {
    this.current = child;
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.recovery = this.onExit(child.pid!, code, signal);
    });
  }

  get pid(): number {
    return this.current?.pid ?? -1;
  }

  get watchdogPid(): number {
    return this.watchdog.pid;
  }

  get state(): EmbeddedState {
    return this.stateNow;
  }

  on(event: 'down', fn: Listener<DownInfo>): () => void;
  on(event: 'restarted', fn: Listener<RestartInfo>): () => void;
  on(event: 'failed', fn: Listener<FailedInfo>): () => void;
  on(event: string, fn: Listener<never>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  private emit(event: 'down', info: DownInfo): void;
  private emit(event: 'restarted', info: RestartInfo): void;
  private emit(event: 'failed', info: FailedInfo): void;
  private emit(event: string, info: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        (fn as Listener<unknown>)(info);
      } catch (err) {
        this.logger?.error({ err, event }, 'embedded PostgreSQL listener failed');
      }
    }
  }

  private async onExit(pid: number, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.stopping) return;
    this.stateNow = 'restarting';
    this.logger?.error({ pid, code, signal, pg_data_dir: this.spec.pgDir }, 'the embedded PostgreSQL exited unexpectedly: restarting it');
    this.emit('down', { pid, code, signal });
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt += 1) {
      const delay = Math.min(this.policy.baseDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, delay);
        this.wake = () => { clearTimeout(timer); r(); };
      });
      if (this.stopping) return;
      await clearLeftoverPostmaster(this.spec.pgDir, this.logger);
      const child = await launchPostmaster(this.spec, this.watch);
      if (this.stopping) {
        if (child?.pid) await stopPostmaster(child.pid);
        return;
      }
      if (child) {
        this.adopt(child);
        this.stateNow = 'running';
        this.logger?.warn({ pid: child.pid, previous_pid: pid, attempts: attempt, port: this.spec.port }, 'the embedded PostgreSQL was restarted');
        this.emit('restarted', { pid: child.pid!, previousPid: pid, attempts: attempt });
        return;
      }
      this.logger?.warn({ attempt, max_attempts: this.policy.maxAttempts, next_delay_ms: delay * 2 }, 'the embedded PostgreSQL did not restart yet');
    }
    this.stateNow = 'failed';
    const lastLog = await tail(this.spec.logFile);
    this.logger?.error({ attempts: this.policy.maxAttempts, log_file: this.spec.logFile, last_log: lastLog },
      'the embedded PostgreSQL could not be restarted: the database stays down until llmctl is restarted');
    this.emit('failed', { attempts: this.policy.maxAttempts, lastLog });
  }

  /** Stops the postmaster (fast shutdown) without restarting it, then releases the watchdog. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.wake?.();
      await this.recovery;
      const pid = this.pid;
      if (isPostmasterOf(pid, this.spec.pgDir)) {
        await stopPostmaster(pid);
        await waitForExit(pid, 1_000);
      }
      this.stateNow = 'stopped';
      this.watchdog.release();
    })();
    return this.stopping;
  }
}
