/** Resource requests/limits of a class (Kubernetes quantities, e.g. `{ cpu: '500m', memory: '1Gi' }`). */
export interface ClassResources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

/** The `kubernetes` block of the runtime settings (executors.md "Kubernetes backend"). */
export interface KubernetesSettings {
  namespace: string;
  service_account: string | null;
  image_pull_secrets: string[];
  job_ttl_s: number;
  /** A Job whose pod has not started after this long fails with `dispatch_timeout` (5–3600, default 300). */
  dispatch_timeout_s: number;
  /** `activeDeadlineSeconds` of every Job (default 1800). */
  execution_timeout_s: number;
  /** GPUs requested by a vllm-class Job (0–8; 0 = no GPU request). */
  gpu_limit: number;
  /** A vllm Job unschedulable this long is re-dispatched on the CPU profile (default 120). */
  gpu_schedule_timeout_s: number;
  resources: { frontier: ClassResources; vllm: ClassResources };
}

/** An executor image: repository, tag and an optional `sha256:` digest (pinned when set). */
export interface ImageRef {
  repository: string;
  tag: string;
  digest?: string | null;
}

/** Executor images per class; `vllm_cpu` overrides the CPU fallback image (default: vllm's tag + `-cpu`). */
export interface ExecutorImages {
  frontier: ImageRef;
  vllm: ImageRef;
  vllm_cpu?: ImageRef | null;
}

/** Defaults of the `kubernetes` settings block. */
export const DEFAULT_KUBERNETES_SETTINGS: KubernetesSettings = {
  namespace: 'llmctl',
  service_account: null,
  image_pull_secrets: [],
  job_ttl_s: 3600,
  dispatch_timeout_s: 300,
  execution_timeout_s: 1800,
  gpu_limit: 1,
  gpu_schedule_timeout_s: 120,
  resources: {
    frontier: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    vllm: { requests: { cpu: '2', memory: '16Gi' }, limits: { cpu: '8', memory: '32Gi' } },
  },
};

/** `repository:tag` or `repository@sha256:…` when a digest pins it. */
export function imageString(i: ImageRef): string {
  return i.digest ? `${i.repository}@${i.digest}` : `${i.repository}:${i.tag}`;
}

/** The image of the CPU fallback profile of the vllm class. */
export function cpuImageOf(images: ExecutorImages): string {
  return images.vllm_cpu ? imageString(images.vllm_cpu) : `${images.vllm.repository}:${images.vllm.tag}-cpu`;
}
