/** Validation of the executor parts of the runtime settings: images per class, `kubernetes`, `queue`. */

interface Issue {
  path: string;
  message: string;
}

const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPO_RE = /^[a-z0-9][a-z0-9._/:-]{0,254}$/;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const RESOURCE_NAME = /^([a-z0-9.-]+\/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function int(v: unknown, path: string, min: number, max: number, issues: Issue[]): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) issues.push({ path, message: `must be an integer from ${min} to ${max}` });
}

/** An image `{ repository, tag, digest? }`. */
export function checkImage(img: unknown, path: string, issues: Issue[]): void {
  if (!isPlain(img)) return void issues.push({ path, message: 'must be an image { repository, tag, digest? }' });
  for (const k of Object.keys(img)) if (!['repository', 'tag', 'digest'].includes(k)) issues.push({ path: `${path}.${k}`, message: 'unknown setting' });
  if (typeof img.repository !== 'string' || !REPO_RE.test(img.repository)) issues.push({ path: `${path}.repository`, message: 'must be an image repository name' });
  if (typeof img.tag !== 'string' || !TAG_RE.test(img.tag)) issues.push({ path: `${path}.tag`, message: 'must be an image tag ([A-Za-z0-9_.-], at most 128)' });
  if (img.digest !== undefined && img.digest !== null && (typeof img.digest !== 'string' || !DIGEST_RE.test(img.digest))) {
    issues.push({ path: `${path}.digest`, message: 'must be null or sha256:<64 lowercase hex>' });
  }
}

function checkQuantities(v: unknown, path: string, issues: Issue[]): void {
  if (!isPlain(v)) return void issues.push({ path, message: 'must be an object of resource quantities' });
  for (const [k, q] of Object.entries(v)) {
    if (!RESOURCE_NAME.test(k)) issues.push({ path: `${path}.${k}`, message: 'must be a Kubernetes resource name' });
    if (typeof q !== 'string' || !QUANTITY.test(q)) issues.push({ path: `${path}.${k}`, message: 'must be a Kubernetes quantity such as 500m, 2 or 1Gi' });
  }
}

/** Checks `images`, `kubernetes` and `queue` of a merged settings object. */
export function checkExecutorSettings(s: { images: Record<string, unknown>; kubernetes: Record<string, unknown>; queue: Record<string, unknown> }, issues: Issue[]): void {
  checkImage(s.images.frontier, 'images.frontier', issues);
  checkImage(s.images.vllm, 'images.vllm', issues);
  if (s.images.vllm_cpu !== null && s.images.vllm_cpu !== undefined) checkImage(s.images.vllm_cpu, 'images.vllm_cpu', issues);
  const k = s.kubernetes;
  if (typeof k.namespace !== 'string' || !DNS_LABEL.test(k.namespace)) issues.push({ path: 'kubernetes.namespace', message: 'must be a Kubernetes namespace name' });
  if (k.service_account !== null && (typeof k.service_account !== 'string' || !DNS_SUBDOMAIN.test(k.service_account))) {
    issues.push({ path: 'kubernetes.service_account', message: 'must be null or a service account name' });
  }
  if (!Array.isArray(k.image_pull_secrets) || !k.image_pull_secrets.every((n) => typeof n === 'string' && DNS_SUBDOMAIN.test(n))) {
    issues.push({ path: 'kubernetes.image_pull_secrets', message: 'must be an array of Secret names' });
  }
  int(k.job_ttl_s, 'kubernetes.job_ttl_s', 0, 604_800, issues);
  int(k.dispatch_timeout_s, 'kubernetes.dispatch_timeout_s', 5, 3600, issues);
  int(k.execution_timeout_s, 'kubernetes.execution_timeout_s', 1, 86_400, issues);
  int(k.gpu_limit, 'kubernetes.gpu_limit', 0, 8, issues);
  int(k.gpu_schedule_timeout_s, 'kubernetes.gpu_schedule_timeout_s', 1, 3600, issues);
  const res = k.resources as Record<string, Record<string, unknown>>;
  for (const cls of ['frontier', 'vllm']) {
    checkQuantities(res?.[cls]?.requests, `kubernetes.resources.${cls}.requests`, issues);
    checkQuantities(res?.[cls]?.limits, `kubernetes.resources.${cls}.limits`, issues);
  }
  int(s.queue.max_concurrent_attempts, 'queue.max_concurrent_attempts', 0, 100_000, issues);
  int(s.queue.max_concurrent_attempts_per_flowchart, 'queue.max_concurrent_attempts_per_flowchart', 0, 100_000, issues);
}
