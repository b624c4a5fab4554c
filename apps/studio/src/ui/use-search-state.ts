/** URL search params as list state (deep-linkable filters, sort and paging). */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** Reads string params with defaults and returns a setter that merges (and resets `page` unless given). */
export function useSearchState<K extends string>(defaults: Record<K, string>): [Record<K, string>, (patch: Partial<Record<K | 'page', string>>) => void] {
  const [sp, setSp] = useSearchParams();
  const values = {} as Record<K, string>;
  for (const k of Object.keys(defaults) as K[]) values[k] = sp.get(k) ?? defaults[k];
  const set = useCallback(
    (patch: Partial<Record<K | 'page', string>>) => {
      setSp(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === '' || v === (defaults as Record<string, string>)[k]) next.delete(k);
            else next.set(k, String(v));
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setSp],
  );
  return [values, set];
}
