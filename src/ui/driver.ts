import { UserError } from '../core/errors.ts';
import { InvariantError } from '../core/invariants.ts';
import type { ResearchEvent } from '../core/research/events.ts';
import type { ConsoleStore } from './state/store.ts';

/**
 * Pulls the research loop's events into the console store. Pausing is not pulling: while the
 * store says `paused` the generator stays suspended between two steps, so nothing runs and
 * nothing is spent. After each event the console gets a turn to draw (backtests are synchronous).
 */

export interface DriveHooks {
  /** Runs after each event is in the store: the composition root reads what the event points at (spec, equity, ledger). */
  after?(e: ResearchEvent): Promise<void> | void;
}

function untilUnpaused(store: ConsoleStore): Promise<void> {
  return new Promise((resolve) => {
    if (store.getState().run !== 'paused') { resolve(); return; }
    const off = store.subscribe((s) => { if (s.run !== 'paused') { off(); resolve(); } });
  });
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What the user reads when a session stops on an error: never a stack trace. */
export function errorText(e: unknown): string {
  if (e instanceof InvariantError) return `${e.message} (nothing was spent for the failed step)`;
  if (e instanceof UserError) return e.message;
  return `internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug; please report it)`;
}

export async function drive(events: AsyncIterable<ResearchEvent>, store: ConsoleStore, hooks: DriveHooks = {}): Promise<void> {
  const it = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      await untilUnpaused(store);
      const r = await it.next();
      if (r.done === true) break;
      store.getState().actions.receive(r.value);
      await hooks.after?.(r.value);
      await nextTick();
    }
    store.getState().actions.sessionEnded(null);
  } catch (e) {
    store.getState().actions.sessionEnded(errorText(e));
  }
}
