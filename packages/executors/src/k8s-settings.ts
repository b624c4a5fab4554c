/**
 * The Kubernetes backend's view of the runtime settings. The types and defaults are the store's (one definition:
 * `RuntimeSettings` in @llmctl/store); this file names the parts the backend reads and derives image strings.
 */
import { DEFAULT_RUNTIME_SETTINGS, type ClassResources, type ExecutorImage, type KubernetesRuntimeSettings, type RuntimeSettings } from '@llmctl/store';

export type { ClassResources };

/** The `kubernetes` block of the runtime settings (executors.md "Kubernetes backend"). */
export type KubernetesSettings = KubernetesRuntimeSettings;

/** An executor image: repository, tag and a `sha256:` digest (pinned when set). */
export type ImageRef = ExecutorImage;

/** Executor images per class; `vllm_cpu` overrides the CPU fallback image (null: vllm's tag + `-cpu`). */
export type ExecutorImages = RuntimeSettings['images'];

/** Defaults of the `kubernetes` settings block. */
export const DEFAULT_KUBERNETES_SETTINGS: KubernetesSettings = DEFAULT_RUNTIME_SETTINGS.kubernetes;

/** `repository:tag` or `repository@sha256:…` when a digest pins it. */
export function imageString(i: ImageRef): string {
  return i.digest ? `${i.repository}@${i.digest}` : `${i.repository}:${i.tag}`;
}

/** The image of the CPU fallback profile of the vllm class. */
export function cpuImageOf(images: ExecutorImages): string {
  return images.vllm_cpu ? imageString(images.vllm_cpu) : `${images.vllm.repository}:${images.vllm.tag}-cpu`;
}
