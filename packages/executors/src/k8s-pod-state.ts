import type { V1Job, V1Pod } from '@kubernetes/client-node';

/** What the Job of an attempt is doing, as far as the backend cares. */
export type JobState =
  | { kind: 'pending' }
  | { kind: 'unschedulable'; message: string }
  | { kind: 'running'; pod: string }
  | { kind: 'done'; pod: string }
  | { kind: 'failed'; code: 'image_pull_failed' | 'pod_evicted' | 'execution_timeout' | 'create_failed'; message: string; pod: string | null };

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);

/** Classifies a Job and its pod (the newest one: `backoffLimit: 0` means there is at most one). */
export function classify(job: V1Job | null, pods: V1Pod[]): JobState {
  const pod = [...pods].sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0];
  const podName = pod?.metadata?.name ?? null;
  const failed = job?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed?.reason === 'DeadlineExceeded') return { kind: 'failed', code: 'execution_timeout', message: failed.message ?? 'the Job ran over activeDeadlineSeconds', pod: podName };
  if (pod) {
    const st = pod.status ?? {};
    if (st.reason === 'Evicted') return { kind: 'failed', code: 'pod_evicted', message: st.message ?? 'the pod was evicted', pod: podName };
    const waiting = (st.containerStatuses ?? []).map((c) => c.state?.waiting).find((w) => w?.reason && PULL_REASONS.has(w.reason));
    if (waiting) return { kind: 'failed', code: 'image_pull_failed', message: `${waiting.reason}: ${waiting.message ?? ''}`.trim(), pod: podName };
    if (st.phase === 'Succeeded' || st.phase === 'Failed') return { kind: 'done', pod: podName! };
    if (st.phase === 'Running') return { kind: 'running', pod: podName! };
    const sched = (st.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (sched && sched.status === 'False' && sched.reason === 'Unschedulable') return { kind: 'unschedulable', message: sched.message ?? 'unschedulable' };
  }
  if (failed) return { kind: 'failed', code: 'create_failed', message: `${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim(), pod: podName };
  return { kind: 'pending' };
}
