/**
 * The one shape of a slice of the store: `createXSlice(set, get, deps)` returns the slice's
 * initial state and its actions, which store.ts spreads into the one state. `set` and `get` are
 * the store's, narrowed by each slice to the part of the state it reads (its `Host`), so that a
 * slice can be tested with a plain object; `deps` is what it needs from outside the state (the
 * worker client, the runs repository, the clock).
 */
export type SetState<Host> = (partial: Partial<Host> | ((s: Host) => Partial<Host>)) => void;
export type GetState<Host> = () => Host;

/** A message for the page out of a caught error. */
export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A storage problem, as the runs panel says it. */
export const problemText = (what: string, e: unknown) =>
  `${what}: ${errorMessage(e)}. Runs of this visit are kept until the tab closes.`;
