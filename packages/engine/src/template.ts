/**
 * Templates (flowchart-v1.md "Templates"): strings with `{{ path }}` placeholders, or JSON values whose string leaves
 * are such strings. Pure.
 */
export interface TemplateScope {
  input?: unknown;
  upstream?: Record<string, unknown>;
  context?: Record<string, unknown>;
  node?: { id: string; iteration: number };
  run?: { id: string; started_at: string | null };
  [key: string]: unknown;
}

export interface RenderResult {
  value: unknown;
  /** Paths that did not resolve (each inserted ""). */
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SINGLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/** Resolves a dot path (`upstream.A.items.0.title`) in the scope. */
export function resolvePath(scope: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = scope;
  for (const key of path.split('.')) {
    if (key === '') return { found: false, value: undefined };
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else return { found: false, value: undefined };
    if (cur === undefined) return { found: false, value: undefined };
  }
  return { found: true, value: cur };
}

function renderString(tpl: string, scope: TemplateScope, missing: string[]): unknown {
  const single = SINGLE.exec(tpl);
  if (single) {
    const r = resolvePath(scope, single[1]!);
    if (!r.found) {
      missing.push(single[1]!);
      return '';
    }
    return r.value;
  }
  return tpl.replace(PLACEHOLDER, (_m, path: string) => {
    const r = resolvePath(scope, path);
    if (!r.found) {
      missing.push(path);
      return '';
    }
    return typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
  });
}

function renderValue(tpl: unknown, scope: TemplateScope, missing: string[]): unknown {
  if (typeof tpl === 'string') return renderString(tpl, scope, missing);
  if (Array.isArray(tpl)) return tpl.map((v) => renderValue(v, scope, missing));
  if (tpl !== null && typeof tpl === 'object') {
    return Object.fromEntries(Object.entries(tpl).map(([k, v]) => [k, renderValue(v, scope, missing)]));
  }
  return tpl;
}

/** Renders a template (string or JSON value) over the scope. */
export function renderTemplate(tpl: unknown, scope: TemplateScope): RenderResult {
  const missing: string[] = [];
  const value = renderValue(tpl, scope, missing);
  return { value, missing };
}

/** Renders a template and returns text: non-string results are serialised as JSON. */
export function renderText(tpl: unknown, scope: TemplateScope): RenderResult {
  const r = renderTemplate(tpl, scope);
  return { value: typeof r.value === 'string' ? r.value : JSON.stringify(r.value), missing: r.missing };
}
