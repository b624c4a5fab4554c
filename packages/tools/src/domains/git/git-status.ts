/** Parsing of `git status --porcelain=v1 -z --branch`. */

/** One changed path: `index` and `worktree` are the porcelain X and Y status letters. */
export interface GitStatusEntry {
  path: string;
  index: string;
  worktree: string;
  orig_path?: string;
}

/** The parsed status: current branch (null when detached), its entries, and whether the tree is clean. */
export interface GitStatus {
  branch: string | null;
  clean: boolean;
  entries: GitStatusEntry[];
}

function parseBranch(header: string): string | null {
  const h = header.slice(3);
  if (h.startsWith('No commits yet on ')) return h.slice('No commits yet on '.length);
  if (h.startsWith('Initial commit on ')) return h.slice('Initial commit on '.length);
  if (h.startsWith('HEAD (no branch)')) return null;
  return h.split('...')[0]?.split(' ')[0] ?? null;
}

/** Parses the NUL-separated porcelain v1 output (with the `##` branch header). */
export function parsePorcelainStatus(stdout: string): GitStatus {
  const fields = stdout.split('\0');
  let branch: string | null = null;
  const entries: GitStatusEntry[] = [];
  for (let i = 0; i < fields.length; i += 1) {
    const f = fields[i] ?? '';
    if (f === '') continue;
    if (f.startsWith('## ')) {
      branch = parseBranch(f);
      continue;
    }
    const index = f[0] ?? ' ';
    const worktree = f[1] ?? ' ';
    const entry: GitStatusEntry = { path: f.slice(3), index, worktree };
    if (index === 'R' || index === 'C') {
      i += 1;
      entry.orig_path = fields[i] ?? '';
    }
    entries.push(entry);
  }
  return { branch, clean: entries.length === 0, entries };
}
