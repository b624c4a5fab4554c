import type { V1Job, V1Secret } from '@kubernetes/client-node';
import type { DispatchRow } from './dispatch-store.ts';
import type { KubernetesSettings } from './k8s-settings.ts';

/** Where the payload Secret is mounted in the executor container. */
export const PAYLOAD_DIR = '/var/run/llmctl';
export const PAYLOAD_FILE = 'payload.json';

/** What one Job runs: its deterministic name, image and profile (`gpu` requests GPUs). */
export interface JobSpec {
  name: string;
  image: string;
  cls: 'frontier' | 'vllm';
  gpu: boolean;
}

function labelValue(v: string): string {
  return v.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'x';
}

/** Labels on the Job, its pod and its Secret. */
export function labelsOf(row: DispatchRow, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'llmctl', 'llmctl.run_id': labelValue(row.run_id), 'llmctl.node_run_id': labelValue(row.node_run_id),
    'llmctl.attempt': String(row.attempt), 'llmctl.job': name,
  };
}

/**
 * The Job of an attempt: one pod, never retried by Kubernetes (`backoffLimit: 0`), stopped at the execution timeout
 * (`activeDeadlineSeconds`), garbage-collected after `ttlSecondsAfterFinished`. The payload (with the node's
 * credentials) is a Secret mounted read-only as a file; nothing secret is in `env` or on the command line.
 */
export function jobManifest(row: DispatchRow, spec: JobSpec, s: KubernetesSettings): V1Job {
  const res = s.resources[spec.cls];
  const limits = { ...res.limits, ...(spec.gpu && s.gpu_limit > 0 ? { 'nvidia.com/gpu': String(s.gpu_limit) } : {}) };
  const labels = labelsOf(row, spec.name);
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: spec.name, namespace: s.namespace, labels, annotations: { 'llmctl.dispatch_id': row.id } },
    spec: {
      backoffLimit: 0, activeDeadlineSeconds: s.execution_timeout_s, ttlSecondsAfterFinished: s.job_ttl_s,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(s.service_account ? { serviceAccountName: s.service_account } : {}),
          automountServiceAccountToken: false,
          imagePullSecrets: s.image_pull_secrets.map((name) => ({ name })),
          containers: [{
            name: 'executor', image: spec.image,
            command: ['llmctl', 'executor', 'run', '--payload-file', `${PAYLOAD_DIR}/${PAYLOAD_FILE}`],
            env: [{ name: 'LLMCTL_EXECUTOR_CLASS', value: spec.cls }],
            resources: { requests: res.requests, limits },
            volumeMounts: [{ name: 'payload', mountPath: PAYLOAD_DIR, readOnly: true }],
            securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: false },
          }],
          volumes: [{ name: 'payload', secret: { secretName: spec.name, defaultMode: 0o400 } }],
        },
      },
    },
  };
}

/** The payload Secret, owned by its Job (deleting the Job deletes it). */
export function secretManifest(row: DispatchRow, spec: JobSpec, s: KubernetesSettings, job: V1Job, payloadJson: string): V1Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name: spec.name, namespace: s.namespace, labels: labelsOf(row, spec.name),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: spec.name, uid: job.metadata!.uid!, controller: false }],
    },
    data: { [PAYLOAD_FILE]: Buffer.from(payloadJson).toString('base64') },
  };
}
