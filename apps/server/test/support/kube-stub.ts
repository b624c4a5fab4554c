import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Job, V1Pod, V1PodStatus, V1Secret } from '@kubernetes/client-node';

const BIN = fileURLToPath(new URL('../../bin/llmctl.mjs', import.meta.url));

/**
 * A stub of the Kubernetes API server over real HTTP on 127.0.0.1: Jobs, Pods (one per Job, created Pending),
 * Secrets, pod logs, and `?watch=true` streams of Jobs and Pods (label selectors, resource versions), with the calls it
 * saw. Tests drive pods through `setPod` / `runExecutor` and can drop every watch connection (`dropWatches`).
 */
export class KubeStub {
  readonly jobs = new Map<string, V1Job>();
  readonly pods = new Map<string, V1Pod>();
  readonly secrets = new Map<string, V1Secret>();
  readonly logs = new Map<string, string>();
  /** Every request: `METHOD path`. */
  readonly calls: string[] = [];
  /** Deleted Jobs with the grace period asked for. */
  readonly deletedJobs: { name: string; grace: number | null }[] = [];
  /** Job creates that should hang after storing the Job (an uncertain create). */
  hangJobCreates = 0;
  /** Job reads that should fail with a 500 (the Job cannot be looked up). */
  failJobReads = 0;
  private server: Server | null = null;
  private readonly watchers = new Set<{ kind: 'pods' | 'jobs'; selector: string | null; res: ServerResponse }>();
  /** Watch requests served so far (pods and jobs). */
  watchStarts = 0;
  private rv = 1;
  private readonly hanging = new Set<ServerResponse>();
  /** Open `log?follow=true` streams per pod. */
  private readonly followers = new Map<string, Set<ServerResponse>>();
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  async stop(): Promise<void> {
    for (const w of [...[...this.watchers].map((x) => x.res), ...this.hanging, ...[...this.followers.values()].flatMap((f) => [...f])]) w.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** A kubeconfig file pointing at this stub (written into `dir`). */
  async kubeconfig(dir: string): Promise<string> {
    const file = join(dir, 'kubeconfig');
    await writeFile(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: stub',
      'clusters:', `- name: stub`, `  cluster:`, `    server: ${this.url}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: stub', '  user:', '    token: stub-token',
      'contexts:', '- name: stub', '  context:', '    cluster: stub', '    user: stub', '    namespace: llmctl',
    ].join('\n'));
    return file;
  }

  /** The pod of Job `job`. */
  podOf(job: string): V1Pod | undefined {
    return [...this.pods.values()].find((p) => p.metadata?.labels?.['llmctl.job'] === job);
  }

  /** Sets the status of Job `job`'s pod (and tells watchers). */
  setPod(job: string, status: V1PodStatus, log?: string): void {
    const pod = this.podOf(job);
    if (!pod) throw new Error(`no pod for job ${job}`);
    pod.status = status;
    if (log !== undefined) this.logs.set(pod.metadata!.name!, log);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') this.endFollowers(pod.metadata!.name!);
    this.notify('pods', 'MODIFIED', pod);
  }

  /** Appends to a pod's log (what its container printed) and to the streams following it. */
  appendLog(podName: string, text: string): void {
    this.logs.set(podName, (this.logs.get(podName) ?? '') + text);
    for (const res of this.followers.get(podName) ?? []) res.write(text);
  }

  private endFollowers(podName: string): void {
    for (const res of this.followers.get(podName) ?? []) res.end();
    this.followers.delete(podName);
  }

  /** Cuts every open watch connection (as a restarting API server or a proxy would). */
  dropWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.res.destroy();
    }
  }

  /** Marks Job `job` failed (e.g. `DeadlineExceeded`). */
  failJob(job: string, reason: string, message = reason): void {
    const j = this.jobs.get(job);
    if (!j) throw new Error(`no job ${job}`);
    j.status = { conditions: [{ type: 'Failed', status: 'True', reason, message }] };
    this.notify('jobs', 'MODIFIED', j);
  }

  /** "Runs" Job `job`: its container is the real `llmctl executor run` on the Secret's payload; its stdout is the log. */
  async runExecutor(job: string): Promise<string> {
    const secret = this.secrets.get(job);
    if (!secret) throw new Error(`no secret for job ${job}`);
    const dir = await mkdtemp(join(tmpdir(), 'kube-stub-'));
    try {
      const file = join(dir, 'payload.json');
      await writeFile(file, Buffer.from(secret.data!['payload.json']!, 'base64'));
      this.setPod(job, { phase: 'Running' }, '');
      const podName = this.podOf(job)!.metadata!.name!;
      const stdout = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'executor', 'run', '--payload-file', file], { env: { ...process.env, LLMCTL_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          this.appendLog(podName, b.toString());
        });
        child.on('exit', () => resolve(out));
      });
      this.setPod(job, { phase: 'Succeeded' }, stdout);
      return stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private notify(kind: 'pods' | 'jobs', type: string, obj: V1Pod | V1Job): void {
    obj.metadata = { ...obj.metadata, resourceVersion: String(++this.rv) };
    for (const w of this.watchers) if (w.kind === kind && this.selected(obj, w.selector)) w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
  }

  /** A watch stream of `kind`: the current objects as ADDED, then every change. */
  private watch(req: IncomingMessage, res: ServerResponse, kind: 'pods' | 'jobs', selector: string | null, items: (V1Pod | V1Job)[]): void {
    this.watchStarts += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const o of items) res.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
    const w = { kind, selector, res };
    this.watchers.add(w);
    req.on('close', () => this.watchers.delete(w));
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    let s = '';
    for await (const c of req) s += String(c);
    return s ? JSON.parse(s) : null;
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });
  }

  private selected(obj: V1Pod | V1Job, selector: string | null): boolean {
    if (!selector) return true;
    return selector.split(',').every((kv) => {
      const [k, v] = kv.split('=');
      const have = obj.metadata?.labels?.[k!];
      return v === undefined ? have !== undefined : have === v;
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const p = u.pathname;
    this.calls.push(`${req.method} ${p}`);
    let m: RegExpExecArray | null;
    if (/^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.test(p) && req.method === 'GET') {
      const selector = u.searchParams.get('labelSelector');
      const items = [...this.jobs.values()].filter((j) => this.selected(j, selector));
      if (u.searchParams.get('watch') === 'true') return this.watch(req, res, 'jobs', selector, items);
      return this.send(res, 200, { kind: 'JobList', apiVersion: 'batch/v1', metadata: { resourceVersion: String(this.rv) }, items });
    }
    if ((m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(p)) && req.method === 'POST') {
      const job = (await this.body(req)) as V1Job;
      const name = job.metadata!.name!;
      if (this.jobs.has(name)) return this.status(res, 409, 'AlreadyExists', `jobs.batch "${name}" already exists`);
      job.metadata = { ...job.metadata, namespace: m[1], uid: `uid-${name}`, creationTimestamp: new Date() };
      job.status = {};
      this.jobs.set(name, job);
      this.notify('jobs', 'ADDED', job);
      const pod: V1Pod = {
        metadata: { name: `${name}-pod`, namespace: m[1], labels: { ...job.spec!.template.metadata!.labels }, creationTimestamp: new Date() },
        spec: job.spec!.template.spec!, status: { phase: 'Pending' },
      };
      this.pods.set(pod.metadata!.name!, pod);
      this.notify('pods', 'ADDED', pod);
      if (this.hangJobCreates > 0) {
        this.hangJobCreates -= 1;
        this.hanging.add(res);
        return;
      }
      return this.send(res, 201, job);
    }
    if ((m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(p))) {
      const job = this.jobs.get(m[2]!);
      if (req.method === 'GET' && this.failJobReads > 0) {
        this.failJobReads -= 1;
        return this.status(res, 500, 'InternalError', 'etcd is unavailable');
      }
      if (req.method === 'GET') return job ? this.send(res, 200, job) : this.status(res, 404, 'NotFound', `jobs.batch "${m[2]}" not found`);
      if (req.method === 'DELETE') {
        if (!job) return this.status(res, 404, 'NotFound', `jobs.batch "${m[2]}" not found`);
        this.jobs.delete(m[2]!);
        const grace = u.searchParams.get('gracePeriodSeconds');
        this.deletedJobs.push({ name: m[2]!, grace: grace === null ? null : Number(grace) });
        this.notify('jobs', 'DELETED', job);
        for (const [k, pod] of this.pods) {
          if (pod.metadata?.labels?.['llmctl.job'] !== m[2]) continue;
          this.pods.delete(k);
          this.notify('pods', 'DELETED', pod);
        }
        for (const [k, s] of this.secrets) if (s.metadata?.ownerReferences?.some((o) => o.name === m![2])) this.secrets.delete(k);
        return this.send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      }
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(p)) && req.method === 'POST') {
      const s = (await this.body(req)) as V1Secret;
      if (this.secrets.has(s.metadata!.name!)) return this.status(res, 409, 'AlreadyExists', 'secret exists');
      this.secrets.set(s.metadata!.name!, s);
      return this.send(res, 201, s);
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p))) {
      const selector = u.searchParams.get('labelSelector');
      const items = [...this.pods.values()].filter((pod) => this.selected(pod, selector));
      if (req.method === 'DELETE') {
        for (const pod of items) {
          this.pods.delete(pod.metadata!.name!);
          this.notify('pods', 'DELETED', pod);
        }
        return this.send(res, 200, { kind: 'Status', status: 'Success' });
      }
      if (u.searchParams.get('watch') === 'true') return this.watch(req, res, 'pods', selector, items);
      return this.send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(p))) {
      const log = this.logs.get(m[2]!);
      if (log === undefined) return this.status(res, 404, 'NotFound', 'no log');
      const phase = this.pods.get(m[2]!)?.status?.phase;
      if (u.searchParams.get('follow') !== 'true' || phase === 'Succeeded' || phase === 'Failed') return this.send(res, 200, log);
      // follow: what is there, then every append, until the pod ends
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(log);
      const set = this.followers.get(m[2]!) ?? new Set<ServerResponse>();
      this.followers.set(m[2]!, set);
      set.add(res);
      req.on('close', () => set.delete(res));
      return;
    }
    return this.status(res, 404, 'NotFound', `stub: no route ${req.method} ${p}`);
  }
}
