/**
 * Full-text relevance shared by the memory and RAG adapters: the query is cut into distinct words, each word becomes a
 * `plainto_tsquery('english', …)` (stop words drop out), and the words are OR-ed. A text's score is the number of
 * distinct query lexemes it contains plus `ts_rank(tsv, query, 32)` (which is < 1), so texts sharing more query
 * terms always rank higher and ts_rank orders texts sharing as many.
 */
import { sql, type RawBuilder } from 'kysely';

/** Distinct lower-cased word tokens of a query (letters and digits; at most 64 of them). */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))].slice(0, 64);
}

/**
 * SQL common table expressions over the query `words` (one array parameter): `fts_terms(tq)` (one tsquery per
 * distinct lexeme) and `fts_query(tq)` (their OR). Use with {@link ftsScore} and a `tsv @@ fts_query.tq` filter, in a
 * Kysely `sql` template: `` sql`WITH ${ftsCtes(words)} SELECT …` ``.
 */
export function ftsCtes(words: readonly string[]): RawBuilder<unknown> {
  return sql`fts_terms AS (
      SELECT DISTINCT q.tq FROM (SELECT plainto_tsquery('english', w) AS tq FROM unnest(${words}::text[]) AS w) q
      WHERE numnode(q.tq) > 0
    ), fts_query AS (
      SELECT string_agg('(' || tq::text || ')', ' | ')::tsquery AS tq FROM fts_terms HAVING count(*) > 0
    )`;
}

/** The score expression of a row whose tsvector column is `tsv` (`m.tsv`; see the module comment). */
export function ftsScore(tsv: string): RawBuilder<number> {
  const col = sql.ref(tsv);
  return sql<number>`((SELECT count(*) FROM fts_terms WHERE ${col} @@ fts_terms.tq)::float8 + ts_rank(${col}, fts_query.tq, 32)::float8)`;
}
