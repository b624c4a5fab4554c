/**
 * Where stored provider credentials may be sent. A model's `base_url` is checked against the provider's own endpoint,
 * the base URL the operator stored on the provider, and the operator allowlist (`LLMCTL_ALLOWED_BASE_URLS`: hosts,
 * `host:port`, URL prefixes and CIDRs). Link-local and cloud metadata addresses are refused unless explicitly listed;
 * host names are resolved and every resolved address is checked too.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LlmctlError } from '@llmctl/contracts';
import type { ProviderKind } from './types.ts';

/** The vendors' own API endpoints (URL prefixes): stored keys of that provider may always go there. */
export const PROVIDER_ENDPOINTS: Readonly<Record<ProviderKind, readonly string[]>> = {
  openai: ['https://api.openai.com/'],
  anthropic: ['https://api.anthropic.com/'],
  gemini: ['https://generativelanguage.googleapis.com/'],
  vertex: ['https://aiplatform.googleapis.com/', 'https://*-aiplatform.googleapis.com/'],
  vllm: [],
  openai_compatible: [],
  scripted: [],
};

/** Host names of cloud metadata services (always refused unless listed). */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const DENIED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['169.254.0.0', 16, 'ipv4'], ['100.100.100.200', 32, 'ipv4'], ['fe80::', 10, 'ipv6'], ['fd00:ec2::254', 128, 'ipv6'],
];
const deniedList = new BlockList();
for (const [net, bits, type] of DENIED) deniedList.addSubnet(net, bits, type);

type Rule =
  | { kind: 'host'; host: string; port?: string }
  | { kind: 'wildcard'; suffix: string }
  | { kind: 'prefix'; origin: string; path: string }
  | { kind: 'cidr'; list: BlockList; net: string; bits: number; type: 'ipv4' | 'ipv6' };

/** A parsed operator allowlist. */
export interface BaseUrlAllowlist {
  readonly entries: readonly string[];
  readonly rules: readonly Rule[];
}

function bad(entry: string, why: string): LlmctlError {
  return new LlmctlError('validation_failed', `LLMCTL_ALLOWED_BASE_URLS entry ${JSON.stringify(entry)} is not valid: ${why}.`, {
    errors: [{ path: 'LLMCTL_ALLOWED_BASE_URLS', message: why }],
  });
}

function ipType(host: string): 'ipv4' | 'ipv6' | null {
  const t = isIP(host);
  return t === 4 ? 'ipv4' : t === 6 ? 'ipv6' : null;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; brackets removed; lower case. */
function normalizeHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped ? mapped[1]! : h;
}

function parseEntry(entry: string): Rule {
  if (entry.includes('://')) {
    let u: URL;
    try {
      u = new URL(entry);
    } catch {
      throw bad(entry, 'not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(entry, 'only http and https URLs');
    return { kind: 'prefix', origin: u.origin, path: u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/` };
  }
  if (entry.includes('/')) {
    const [net = '', bitsText = ''] = entry.split('/');
    const type = ipType(normalizeHost(net));
    const bits = Number(bitsText);
    if (!type || !/^\d{1,3}$/.test(bitsText) || bits > (type === 'ipv4' ? 32 : 128)) throw bad(entry, 'not a CIDR such as 10.0.0.0/8');
    const list = new BlockList();
    list.addSubnet(normalizeHost(net), bits, type);
    return { kind: 'cidr', list, net: normalizeHost(net), bits, type };
  }
  if (entry.startsWith('*.')) return { kind: 'wildcard', suffix: entry.slice(1).toLowerCase() };
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return { kind: 'host', host: normalizeHost(bracketed[1]!), ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  if (ipType(entry) === 'ipv6') return { kind: 'host', host: normalizeHost(entry) };
  const hp = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!hp) throw bad(entry, 'expected a host, host:port, URL prefix or CIDR');
  return { kind: 'host', host: normalizeHost(hp[1]!), ...(hp[2] ? { port: hp[2] } : {}) };
}

/** Parses the allowlist (a comma list or an array); a bad entry throws `validation_failed`. */
export function parseAllowedBaseUrls(value: string | readonly string[] | undefined | null): BaseUrlAllowlist {
  const entries = (typeof value === 'string' ? value.split(',') : [...(value ?? [])]).map((e) => e.trim()).filter((e) => e !== '');
  return { entries, rules: entries.map(parseEntry) };
}

function defaultPort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

function prefixMatches(url: URL, prefix: string): boolean {
  const star = /^(https?:\/\/)\*(-[^/]+)(\/.*)$/.exec(prefix);
  if (star) return `${url.protocol}//` === star[1] && url.hostname.endsWith(star[2]!) && /^[a-z0-9-]+$/.test(url.hostname.slice(0, -star[2]!.length)) && `${url.pathname}/`.startsWith(star[3]!);
  let p: URL;
  try {
    p = new URL(prefix);
  } catch {
    return false;
  }
  const path = p.pathname.endsWith('/') ? p.pathname : `${p.pathname}/`;
  return url.origin === p.origin && `${url.pathname.replace(/\/$/, '')}/`.startsWith(path);
}

/** Whether one rule lets `url` (with `addresses` resolved) receive credentials. */
function ruleMatches(rule: Rule, url: URL, host: string, addresses: string[]): boolean {
  switch (rule.kind) {
    case 'host':
      return rule.host === host && (rule.port === undefined || rule.port === defaultPort(url));
    case 'wildcard':
      return host.endsWith(rule.suffix);
    case 'prefix':
      return prefixMatches(url, `${rule.origin}${rule.path}`);
    case 'cidr':
      return addresses.length > 0 && addresses.every((a) => ipType(a) === rule.type && rule.list.check(a, rule.type));
  }
}

/** A rule that names the denied address itself (host, prefix, or a CIDR inside a denied range): an explicit listing. */
function explicitlyListed(rule: Rule, url: URL, host: string, address: string): boolean {
  if (rule.kind === 'cidr') {
    const t = ipType(address);
    return t === rule.type && rule.list.check(address, t) && deniedList.check(rule.net, rule.type) && rule.bits >= (t === 'ipv4' ? 16 : 10);
  }
  return rule.kind !== 'wildcard' && ruleMatches(rule, url, host, [address]);
}

/** The outcome of {@link checkBaseUrl}. */
export interface BaseUrlVerdict {
  /** `trusted`: stored keys may go there; `untrusted`: only a key given on the model; `forbidden`: nothing. */
  verdict: 'trusted' | 'untrusted' | 'forbidden';
  reason: string;
  /** The addresses the host resolved to (the literal address for an IP host). */
  addresses: string[];
}

export type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Checks the scheme (`validation_failed` for anything but http/https). */
export function assertHttpUrl(value: string, path = 'base_url'): URL {
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    throw new LlmctlError('validation_failed', `${path}: must be an http(s) URL`, { errors: [{ path, message: 'must be an http(s) URL' }] });
  }
  return u;
}

/**
 * Decides whether `baseUrl` may receive stored credentials. `trusted` are URL prefixes trusted besides the allowlist
 * (the provider's own endpoints and the base URL stored on the provider). A host that does not resolve is judged by
 * its name only (the call then fails to connect anyway).
 */
export async function checkBaseUrl(baseUrl: string, opts: { allowlist?: BaseUrlAllowlist; trusted?: readonly string[]; lookup?: Lookup } = {}): Promise<BaseUrlVerdict> {
  const url = assertHttpUrl(baseUrl);
  const host = normalizeHost(url.hostname);
  const rules = opts.allowlist?.rules ?? [];
  let addresses: string[];
  if (ipType(host)) addresses = [host];
  else {
    try {
      addresses = (await (opts.lookup ?? systemLookup)(host)).map(normalizeHost);
    } catch {
      addresses = [];
    }
  }
  const deniedName = METADATA_HOSTS.has(host);
  const deniedAddress = addresses.find((a) => { const t = ipType(a); return t !== null && deniedList.check(a, t); });
  if (deniedName || deniedAddress !== undefined) {
    const listed = deniedName
      ? rules.some((r) => r.kind !== 'cidr' && r.kind !== 'wildcard' && ruleMatches(r, url, host, addresses))
      : rules.some((r) => explicitlyListed(r, url, host, deniedAddress!));
    if (!listed) return { verdict: 'forbidden', reason: `${host} is a link-local or cloud metadata address${deniedAddress && deniedAddress !== host ? ` (resolves to ${deniedAddress})` : ''}`, addresses };
    return { verdict: 'trusted', reason: `${host} is listed in LLMCTL_ALLOWED_BASE_URLS`, addresses };
  }
  if ((opts.trusted ?? []).some((p) => p && prefixMatches(url, p))) return { verdict: 'trusted', reason: 'the provider endpoint', addresses };
  if (rules.some((r) => ruleMatches(r, url, host, addresses))) return { verdict: 'trusted', reason: `${host} is listed in LLMCTL_ALLOWED_BASE_URLS`, addresses };
  return { verdict: 'untrusted', reason: `${url.origin} is neither the provider endpoint nor listed in LLMCTL_ALLOWED_BASE_URLS`, addresses };
}

/** The coded refusal (HTTP 422 at model writes; the node's error at run time). */
export function baseUrlNotAllowed(baseUrl: string, reason: string): LlmctlError {
  let origin = baseUrl;
  try {
    origin = new URL(baseUrl).origin;
  } catch { /* keep the text */ }
  return new LlmctlError('base_url_not_allowed', `The base_url ${origin} may not be used: ${reason}.`, { base_url: origin, reason });
}
