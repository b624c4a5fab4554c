/**
 * Term-overlap ranking for the in-memory memory and RAG stores (the PostgreSQL adapters use full-text search with
 * OR semantics instead; both rank texts sharing more query terms higher and drop texts sharing none).
 */

const STOP_WORDS = new Set(
  ('a an and are as at be but by for from has have he her his i if in into is it its me my no not of on or our she so ' +
    'that the their them then there these they this to was we were what when where which who will with you your')
    .split(' '),
);

/** Lower-cased word tokens of `text`, without stop words and one-character tokens. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1 && !STOP_WORDS.has(t));
}

/**
 * Score of `text` for `query`: the share of distinct query terms that occur in the text (0…1), plus a small bonus for
 * repeated occurrences so that ties break toward denser texts. 0 means no shared term.
 */
export function overlapScore(query: string, text: string): number {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  let matched = 0;
  let occurrences = 0;
  for (const t of terms) {
    const c = counts.get(t) ?? 0;
    if (c > 0) matched += 1;
    occurrences += c;
  }
  if (matched === 0) return 0;
  const density = occurrences / (occurrences + 10); // < 1, grows with repeats
  return Math.round(((matched + density * 0.5) / (terms.length + 0.5)) * 1e6) / 1e6;
}
