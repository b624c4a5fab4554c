/**
 * The one registry of error codes: API envelope codes, engine (node run / run) codes, provider and tool codes.
 * Every code has a meaning, its default retryability and (for API codes) the HTTP status it maps to.
 */
export interface ErrorCodeInfo {
  meaning: string;
  retryable: boolean;
  http?: number;
}

export const ERROR_CODES = {
  // API envelope
  validation_failed: { meaning: 'Malformed JSON, bad parameters or an unknown control action.', retryable: false, http: 400 },
  unauthorized: { meaning: 'Missing or invalid bearer token.', retryable: false, http: 401 },
  forbidden: { meaning: 'The token may not do this.', retryable: false, http: 403 },
  not_found: { meaning: 'Unknown route or id (malformed ids included).', retryable: false, http: 404 },
  conflict: { meaning: 'The request conflicts with the current state (e.g. a node-run precondition of a control call).', retryable: false, http: 409 },
  invalid_transition: { meaning: 'The run cannot make that transition from its current status.', retryable: false, http: 409 },
  input_override_not_read: { meaning: 'A rewind\'s input_override would change nothing: it replaces the outputs the rewound node consumed (upstream.<id>; the run input only for start) and the node never reads them.', retryable: false, http: 400 },
  template_unresolved: { meaning: 'Test this node: a template of the tested node reads a path the sample does not provide (details.missing) or has a `{{` without `}}` (details.field); nothing was sent to the model.', retryable: false, http: 422 },
  idempotency_key_reused: { meaning: 'The Idempotency-Key was used before with another request body.', retryable: false, http: 409 },
  name_taken: { meaning: 'The name is already used.', retryable: false, http: 409 },
  payload_too_large: { meaning: 'The request body is over the size limit.', retryable: false, http: 413 },
  unsupported_media_type: { meaning: 'The request body is not JSON.', retryable: false, http: 415 },
  flowchart_invalid: { meaning: 'The flowchart document has validation errors (details.errors[]).', retryable: false, http: 422 },
  rate_limited: { meaning: 'Too many requests; retry later.', retryable: true, http: 429 },
  request_timeout: { meaning: 'The request (headers or body) did not arrive in time; the connection is closed.', retryable: true, http: 408 },
  headers_too_large: { meaning: 'The request headers are over the server\'s size limit (431); the connection is closed.', retryable: false, http: 431 },
  internal: { meaning: 'An unexpected server error.', retryable: true, http: 500 },
  unavailable: { meaning: 'The service or database is not ready.', retryable: true, http: 503 },

  // Engine: node runs and runs
  route_invalid: { meaning: 'A connector condition threw, timed out or returned a non-boolean.', retryable: false },
  decision_no_match: { meaning: 'A decision matched no connector and has no fallback.', retryable: false },
  fan_in_starved: { meaning: 'A join can never fire: an input it needs can no longer deliver.', retryable: false },
  context_missing: { meaning: 'A required context source has no succeeded or skipped node run.', retryable: false },
  guardrail_max_node_executions: { meaning: 'The run hit its max_node_executions guardrail.', retryable: false },
  guardrail_max_runtime: { meaning: 'The run exceeded max_runtime_minutes of running time.', retryable: false },
  guardrail_max_continuations: { meaning: 'A continue-as-new chain hit its max_continuations guardrail (the run that would continue fails instead).', retryable: false },
  output_unstorable: { meaning: 'A node result (model answer, tool result, output) holds a value the database cannot store (NUL character, lone UTF-16 surrogate).', retryable: false },
  node_timeout: { meaning: 'An attempt ran longer than the node timeout_s.', retryable: true },
  interrupted: { meaning: 'An attempt was interrupted by a crash, a pause or a run failure.', retryable: true },
  output_invalid: { meaning: 'Structured output did not validate after all repair attempts.', retryable: false },
  model_unknown: { meaning: 'The model name is not in the registry.', retryable: false },
  node_type_unsupported: { meaning: 'This runtime cannot execute the node type.', retryable: false },
  node_config_invalid: { meaning: 'The node config is missing a required field.', retryable: false },
  subflow_failed: { meaning: 'A child run ended without success.', retryable: false },
  flowchart_not_found: { meaning: 'A referenced flowchart does not exist.', retryable: false },
  run_ended: { meaning: 'The run ended while this node run was still queued or running.', retryable: false },
  canceled: { meaning: 'The run was canceled.', retryable: false },

  // Providers
  scripted_no_response: { meaning: 'No scripted response matches the prompt.', retryable: false },
  provider_unavailable: { meaning: 'The provider answered 5xx or could not be reached.', retryable: true },
  provider_rate_limited: { meaning: 'The provider answered 429.', retryable: true },
  provider_timeout: { meaning: 'The provider did not answer in time.', retryable: true },
  provider_auth: { meaning: 'The provider rejected the credentials.', retryable: false },
  provider_bad_request: { meaning: 'The provider rejected the request.', retryable: false },
  provider_context_length: { meaning: 'The prompt is over the model context length.', retryable: false },
  provider_content_filter: { meaning: 'The provider refused the content.', retryable: false },
  provider_error: { meaning: 'Another provider error.', retryable: false },

  // Tools
  tool_unknown: { meaning: 'No tool with that name is registered.', retryable: false },
  tool_input_invalid: { meaning: 'Tool arguments do not match its input schema.', retryable: false },
  tool_output_invalid: { meaning: 'The tool result does not match its output schema.', retryable: false },
  tool_failed: { meaning: 'The tool failed.', retryable: false },
  replay_diverged: { meaning: 'An agent loop ran again (interrupted or retried attempt) and asked for a tool call whose name or input differs from the one recorded under the same key; the recorded result is not reused.', retryable: false },
  tool_timeout: { meaning: 'The tool ran longer than its timeout.', retryable: true },
  tool_conflict: { meaning: 'The tool found conflicting state.', retryable: false },
  path_outside_workspace: { meaning: 'A path escapes the run workspace.', retryable: false },
  command_not_allowed: { meaning: 'The program is not on the command allowlist.', retryable: false },
  command_output_limit: { meaning: 'The command output exceeded its cap.', retryable: false },
  // Providers (added by @llmctl/providers)
  provider_invalid_response: { meaning: 'The provider answer could not be used (e.g. malformed tool-call arguments).', retryable: true },
  provider_config_invalid: { meaning: 'The provider or model settings are invalid (unknown provider, bad scripted responses).', retryable: false },
  base_url_not_allowed: { meaning: 'The model base_url may not receive the stored provider credentials (not the provider endpoint, not on LLMCTL_ALLOWED_BASE_URLS), or is a link-local / metadata address.', retryable: false, http: 422 },
  // Store and server bootstrap (added by @llmctl/store)
  data_dir_in_use: { meaning: 'Another live llmctl process owns this data directory (see <data-dir>/llmctl.pid).', retryable: false },
  embedded_database_failed: { meaning: 'The embedded PostgreSQL could not be prepared or started (see <data-dir>/postgres.log).', retryable: false },
  migration_failed: { meaning: 'A schema migration failed; nothing of it was applied.', retryable: false },
  migration_checksum_mismatch: { meaning: 'An applied schema migration file changed since it was applied; the server refuses to start until the released file is restored.', retryable: false },
  auth_unavailable: { meaning: 'The API tokens could not be read at start, so the server refuses to start rather than run with authentication off.', retryable: true },
  // Tools (added by @llmctl/tools)
  command_timeout: { meaning: 'The command ran longer than its timeout; its process group was killed.', retryable: false },
  workspace_path_forbidden: { meaning: 'The path is reserved: git metadata (a `.git` component, `.gitattributes`, `.gitmodules`, `.gitconfig`) is never touched by workspace file tools.', retryable: false },
  workspace_file_unsupported: { meaning: 'Not a plain file of the workspace: a FIFO, socket, device, directory, hardlinked file or a file on another device.', retryable: false },
  sandbox_unavailable: { meaning: 'The tool sandbox (bubblewrap) is missing or cannot start, so no tool process runs (only LLMCTL_TOOL_SANDBOX=none disables the sandbox, explicitly).', retryable: false },
  git_repository_unsafe: { meaning: 'The workspace repository holds something git would execute or follow out of the workspace (a hook, a .git that is a file or symlink, a linked worktree), so git is not run.', retryable: false },
  plan_item_not_found: { meaning: 'complete_item named a plan or plan item that does not exist.', retryable: false },
  rag_collection_not_found: { meaning: 'No RAG collection has that id or name.', retryable: false },
  // RAG ingestion (added by the special-node routes)
  rag_document_unreadable: { meaning: 'No text could be extracted from an uploaded document (e.g. an encrypted or image-only PDF).', retryable: false, http: 422 },
  // Legacy llmctl migration (added by @llmctl/migrate; docs/migration/runbook.md)
  migration_input_invalid: { meaning: 'The llmctl export is malformed (details.path names the first problem); nothing of it was analysed or applied.', retryable: false, http: 400 },
  legacy_database_invalid: { meaning: 'The --from-database URL is not an llmctl database (its flowchart tables are missing or differ).', retryable: false, http: 400 },
  legacy_source_unavailable: { meaning: 'The llmctl server or database could not be read (connection refused, HTTP error, bad answer).', retryable: true, http: 502 },
  migration_not_applicable: { meaning: 'The migration report cannot be applied or rolled back in its current state (blocked, never applied, already rolled back).', retryable: false, http: 409 },
  cutover_disabled: { meaning: 'agent_runtime_cutover_enabled is off: imported flowcharts can be inspected and dry-run, not run.', retryable: false, http: 409 },
  cutover_blocked: { meaning: 'The cutover cannot be turned on while an applied imported flowchart\'s latest report is blocked (details.flowcharts).', retryable: false, http: 409 },
  // Executors (added by @llmctl/executors; docs/executors.md says what to do about each)
  worker_lost: { meaning: 'The queue worker or pod executing an attempt died or stopped heartbeating; the attempt ends interrupted and runs again under the same idempotency key.', retryable: true },
  dispatch_uncertain: { meaning: 'Whether an attempt was dispatched is unknown and its deterministic job could not be looked up, so it failed closed (never two live jobs for one attempt).', retryable: true },
  dispatch_timeout: { meaning: 'The executor job did not start within dispatch_timeout_s (no worker capacity, unschedulable pod).', retryable: true },
  execution_timeout: { meaning: 'The executor job ran longer than execution_timeout_s (activeDeadlineSeconds) and was stopped.', retryable: true },
  create_failed: { meaning: 'The executor job could not be created or enqueued (API error, quota, bad manifest).', retryable: true },
  image_pull_failed: { meaning: 'The executor image could not be pulled (wrong repository, tag or digest, or missing image pull secret).', retryable: false },
  pod_evicted: { meaning: 'The executor pod was evicted (node pressure, preemption) before it finished.', retryable: true },
  result_invalid: { meaning: 'The executor finished without exactly one valid LLMCTL_EXECUTOR_RESULT_JSON line.', retryable: false },
  payload_invalid: { meaning: 'The executor payload file is missing, unreadable or does not match the payload contract.', retryable: false },
  gpu_unavailable: { meaning: 'No GPU could be scheduled for a vllm-class attempt within gpu_schedule_timeout_s and the flowchart forbids the CPU fallback.', retryable: false },
  vllm_start_failed: { meaning: 'The vLLM server the executor starts for a local (vllm_local) model exited or did not answer /health within the startup timeout (details.reason: exited | timeout; details.output: the tail of its output).', retryable: true },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is in the registry. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** The one base error class: every thrown domain error carries a registered code. */
export class LlmctlError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, retryable?: boolean) {
    super(message);
    this.name = 'LlmctlError';
    this.code = code;
    this.details = details;
    this.retryable = retryable ?? ERROR_CODES[code].retryable;
  }

  /** The error shape stored on node runs, runs and tool results. */
  toInfo(): { code: string; message: string; details: Record<string, unknown>; retryable: boolean } {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}
