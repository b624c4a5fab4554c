// OCI distribution + Harbor API client of the release pipeline: does a tag exist, does a Harbor project exist,
// create it. Credentials (LLMCTL_REGISTRY_USERNAME / LLMCTL_REGISTRY_PASSWORD) go in headers only, never in output.

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A registry at `url` (`https://harbor.example.com`); `host` is what image references use. */
export function registryClient(url, { username, password } = {}) {
  const base = new URL(url);
  const origin = base.origin;
  const host = base.host;
  const basic = username && password ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;

  /** Answers a `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge with a token (distribution spec). */
  async function bearer(challenge, scope) {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params.realm) return undefined;
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope ?? scope);
    const res = await fetch(tokenUrl, { headers: basic ? { authorization: basic } : {} });
    if (!res.ok) throw new Error(`registry token request to ${tokenUrl.origin}${tokenUrl.pathname} failed: HTTP ${res.status}`);
    const body = await res.json();
    return body.token ?? body.access_token;
  }

  async function get(path, { method = 'GET', headers = {}, scope } = {}) {
    let res = await fetch(`${origin}${path}`, { method, headers: { ...headers, ...(basic ? { authorization: basic } : {}) } });
    const challenge = res.headers.get('www-authenticate') ?? '';
    if (res.status === 401 && /^Bearer /i.test(challenge)) {
      const token = await bearer(challenge, scope);
      if (token) res = await fetch(`${origin}${path}`, { method, headers: { ...headers, authorization: `Bearer ${token}` } });
    }
    return res;
  }

  return {
    host,
    /** `GET /v2/<name>/manifests/<tag>`: true on 200, false on 404, throws on anything else. */
    async tagExists(name, tag) {
      const res = await get(`/v2/${name}/manifests/${encodeURIComponent(tag)}`, { method: 'GET', headers: { accept: MANIFEST_ACCEPT }, scope: `repository:${name}:pull` });
      await res.body?.cancel();
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      throw new Error(`registry ${host}: GET /v2/${name}/manifests/${tag} answered HTTP ${res.status}`);
    },
    /** Harbor: `HEAD /api/v2.0/projects?project_name=<p>` → 200 exists / 404 not. */
    async projectExists(project) {
      const res = await get(`/api/v2.0/projects?project_name=${encodeURIComponent(project)}`, { method: 'HEAD' });
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      throw new Error(`Harbor ${host}: HEAD /api/v2.0/projects?project_name=${project} answered HTTP ${res.status}`);
    },
    /** Harbor: `POST /api/v2.0/projects` (private project); a 409 (created meanwhile) is fine. */
    async createProject(project) {
      const res = await fetch(`${origin}/api/v2.0/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(basic ? { authorization: basic } : {}) },
        body: JSON.stringify({ project_name: project, metadata: { public: 'false' } }),
      });
      await res.body?.cancel();
      if (res.status !== 201 && res.status !== 409) throw new Error(`Harbor ${host}: POST /api/v2.0/projects answered HTTP ${res.status}`);
    },
  };
}
