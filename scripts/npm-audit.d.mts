/** Types of scripts/npm-audit.mjs (the production dependency audit). */
export interface Advisory {
  id: string;
  package: string;
  severity: string;
  title: string;
  url?: string;
  range?: string;
  paths: string[];
}
export interface AllowEntry {
  id: string;
  package: string;
  reason: string;
  expires: string;
}
export const DEFAULT_ALLOWLIST: string;
export const EXIT: { clean: 0; findings: 1; badAllowlist: 2; unavailable: 3 };
export function advisoriesOf(report: unknown): { advisories: Advisory[]; error?: undefined } | { error: string; advisories?: undefined };
export function parseAllowlist(doc: unknown): AllowEntry[];
export function compare(advisories: Advisory[], allowlist: AllowEntry[], today: string): {
  blocked: (Advisory & { why: string })[];
  allowed: (Advisory & { reason: string; expires: string })[];
  stale: AllowEntry[];
};
