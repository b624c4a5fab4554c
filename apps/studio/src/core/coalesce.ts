/**
 * Coalesces triggers of an async action: while it runs, any number of triggers schedule exactly ONE more run after it,
 * so the last trigger is always followed by a run that started after it (a refetch started before the last change
 * would otherwise leave the view stale), and a burst costs at most two runs.
 */
export function coalesced(action: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    again = false;
    void action().catch(() => undefined).finally(() => {
      running = false;
      if (again) run();
    });
  };
  return () => {
    if (running) again = true;
    else run();
  };
}
