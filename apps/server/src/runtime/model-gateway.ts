import { hash } from 'node:crypto';
import type { ModelGateway, ResolvedModel } from '@llmctl/runtime';
import { LlmctlError } from '@llmctl/contracts';
import type { BaseUrlAllowlist, Lookup, ModelProvider, ProviderConfig, ProviderKind } from '@llmctl/providers';
import { PROVIDER_ENDPOINTS, baseUrlNotAllowed, checkBaseUrl, createProvider, credentialValues, parseAllowedBaseUrls, redactSecrets, secretRedactor, withRedactedErrors } from '@llmctl/providers';
import { joinSecrets, type Model, type ModelRepository, type SecretEntry } from '@llmctl/store';

/** Provider credentials the gateway may add to a model's own settings (API keys are decrypted only here). */
export interface CredentialSource {
  forProvider(provider: string): Promise<{ api_key: string | null; base_url: string | null; settings: Record<string, unknown> } | null>;
  /** The model's own key and sealed settings values (decrypted). */
  forModel?(modelId: string): Promise<{ api_key: string | null; entries: SecretEntry[] }>;
}

/** Starts (or finds) the vLLM server of a local model in this process (a queue worker of class `vllm`). */
export interface LocalVllmSource {
  /** The loopback base URL (`http://127.0.0.1:<port>/v1`) of the server for `model`. */
  baseUrlFor(model: string): Promise<string>;
}

/** Provider settings without credentials (headers, credential-named fields): what an untrusted base URL may get. */
function withoutCredentials(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([k, v]) => k !== 'headers' && credentialValues({ [k]: v }).length === 0));
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Wires the runtime's model port to the model registry and @llmctl/providers. Provider clients are cached per model
 * and rebuilt when the model, its credentials or the base URL verdict change.
 *
 * Credential egress: stored provider credentials (key, credential settings) go only to the provider's own endpoint,
 * the base URL stored on the provider, or a base URL on the operator allowlist. A model whose custom `base_url` is
 * none of these gets only its own key; when the stored key would be needed the call fails with
 * `base_url_not_allowed` before any request. Link-local and metadata addresses are refused unless explicitly listed.
 * The base URL's host is resolved and checked at every resolve, and the provider client connects only to the checked
 * addresses (`pinned_addresses`: a DNS answer that changes after the check cannot redirect the call).
 */
export class RegistryModelGateway implements ModelGateway {
  /**
   * Per model id: the provider client, and what every call journals with it (settings without credentials, the
   * redactor of its secrets), built again when the stamp changes.
   */
  private readonly cache = new Map<string, { stamp: string; secrets: readonly string[]; provider: ModelProvider; settings: Record<string, unknown>; redact: <T>(value: T) => T; chat: ResolvedModel['chat'] }>();
  /** Model rows per name when {@link cacheModelRows} is on (null: read the row on every call). */
  private rows: Map<string, Model> | null = null;
  /** Bumped by every invalidation: a row read that straddles one is not cached. */
  private generation = 0;
  private readonly allowlist: BaseUrlAllowlist;
  constructor(
    private readonly models: ModelRepository,
    private readonly credentials?: CredentialSource,
    allowedBaseUrls?: readonly string[] | BaseUrlAllowlist,
    private readonly options: { lookup?: Lookup; localVllm?: LocalVllmSource } = {},
  ) {
    this.allowlist = allowedBaseUrls && 'rules' in allowedBaseUrls ? allowedBaseUrls : parseAllowedBaseUrls(allowedBaseUrls as readonly string[] | undefined);
  }

  /**
   * Keeps model rows per name instead of reading the row on every call. Only for a caller that calls
   * {@link invalidateModels} on every `config:model:*` event (of this process and, through the realtime notifications,
   * of every other process on the database) and after a lost notification connection comes back.
   */
  cacheModelRows(): void {
    this.rows ??= new Map();
  }

  /** Forgets every cached model row (a model was created, updated or deleted somewhere). */
  invalidateModels(): void {
    this.generation++;
    this.rows?.clear();
  }

  private async findModel(name: string): Promise<Model | undefined> {
    if (!this.rows) return this.models.findByName(name);
    const hit = this.rows.get(name);
    if (hit) return hit;
    const generation = this.generation;
    const m = await this.models.findByName(name);
    // Misses are not cached (a model created later must be found); nor is a row read across an invalidation.
    if (m && generation === this.generation) this.rows.set(name, m);
    return m;
  }

  async resolve(name: string): Promise<ResolvedModel | null> {
    const r = await this.providerConfig(name);
    if (!r) return null;
    const { model: m } = r;
    if ('refusal' in r) {
      const err = r.refusal;
      return { name: m.name, provider: m.provider, model: m.model, chat: () => Promise.reject(err) };
    }
    const { config, secrets } = r;
    // The stamp changes whenever the model or its credentials change (a digest, never the key itself).
    const stamp = `${m.updated_at}|${hash('sha256', JSON.stringify(config), 'hex')}`;
    let entry = this.cache.get(m.id);
    if (!entry || entry.stamp !== stamp || !sameStrings(entry.secrets, secrets)) {
      const provider = withRedactedErrors(createProvider(config), secrets);
      // Journaled with each call: settings without credentials, and everything journaled goes through the redactor.
      // Both are built once per stamp and set of secrets, not per call.
      entry = {
        stamp, secrets, provider, settings: redactSecrets(withoutCredentials(config.settings ?? {}), secrets), redact: secretRedactor(secrets),
        chat: (req, opts) => provider.chat(req, opts),
      };
      this.cache.set(m.id, entry);
    }
    // A fresh settings object per call (callers own what they get), copied from the one built for the stamp.
    return { name: m.name, provider: m.provider, model: m.model, chat: entry.chat, settings: { ...entry.settings }, redact: entry.redact };
  }

  /**
   * What a call of model `name` uses, with the egress policy applied: the provider configuration (secrets joined,
   * stored credentials only where allowed, addresses pinned) and every secret in play (for redaction), or the coded
   * refusal. Null when no model has that name. Anything that runs model calls elsewhere (an executor payload) must
   * build its provider from this, never from the raw rows.
   */
  async providerConfig(name: string): Promise<
    | { model: Model; config: ProviderConfig; secrets: string[] }
    | { model: Model; refusal: LlmctlError }
    | null
  > {
    const m = await this.findModel(name);
    if (!m) return null;
    const kind = m.provider as ProviderKind;
    const scripted = m.provider === 'scripted';
    const creds = scripted ? null : ((await this.credentials?.forProvider(m.provider)) ?? null);
    const own = scripted ? null : ((await this.credentials?.forModel?.(m.id)) ?? null);
    const settings = own ? joinSecrets(m.settings ?? {}, own.entries) : (m.settings ?? {});
    let apiKey = own?.api_key ?? creds?.api_key ?? null;
    let providerSettings = creds?.settings ?? {};
    let refusal: LlmctlError | null = null;
    let pinned: string[] | null = null;
    // The URL the call goes to: the model's, else the one stored on the provider (trusted for its key, but link-local
    // and metadata addresses are refused there too, and it is pinned the same way).
    let baseUrl = m.base_url ?? creds?.base_url ?? null;
    // A vllm_local model in a vllm-class worker: the loopback server this process started itself (not an egress).
    const local = this.options.localVllm && (m.provider === 'vllm_local' || (m.provider === 'vllm' && !baseUrl));
    if (local) baseUrl = await this.options.localVllm!.baseUrlFor(m.model);
    if (!scripted && baseUrl && !local) {
      const v = await checkBaseUrl(baseUrl, {
        allowlist: this.allowlist, trusted: [...PROVIDER_ENDPOINTS[kind] ?? [], ...(creds?.base_url ? [creds.base_url] : [])],
        ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
      });
      // Always pinned (an IP literal to itself): no second resolution, and the pinned fetch follows no redirects.
      pinned = v.addresses;
      const host = new URL(baseUrl).hostname;
      if (v.verdict === 'forbidden') refusal = baseUrlNotAllowed(baseUrl, v.reason);
      else if (v.addresses.length === 0) {
        // Not resolvable now: sending nothing beats letting the client resolve it again unchecked.
        refusal = new LlmctlError('provider_unavailable', `The provider host ${host} could not be resolved.`, { host });
      } else if (v.verdict === 'untrusted') {
        const storedSecrets = [...(creds?.api_key ? [creds.api_key] : []), ...credentialValues(providerSettings)];
        apiKey = own?.api_key ?? null;
        providerSettings = withoutCredentials(providerSettings);
        if (!own?.api_key && storedSecrets.length > 0) {
          refusal = baseUrlNotAllowed(baseUrl, `${v.reason}, so it may not receive the stored ${m.provider} credentials (give the model its own api_key, or list the URL in LLMCTL_ALLOWED_BASE_URLS)`);
        }
      }
    }
    if (refusal) return { model: m, refusal };
    const config: ProviderConfig = {
      provider: local ? 'vllm' : kind,
      base_url: baseUrl,
      api_key: apiKey,
      settings: { ...providerSettings, ...settings },
      project: (settings.project as string | undefined) ?? null,
      location: (settings.location as string | undefined) ?? null,
      pinned_addresses: pinned,
    };
    // Every secret in play is redacted from errors, also those this call does not send (a provider cannot echo them,
    // but a proxy in front of it might).
    const secrets = [...new Set([apiKey, creds?.api_key, own?.api_key, ...credentialValues(creds?.settings ?? {}), ...credentialValues(settings)]
      .filter((x): x is string => typeof x === 'string'))];
    return { model: m, config, secrets };
  }
}
