/**
 * Which sessions can be resumed, and why one cannot: light enough for the console to import at
 * start-up (resume.ts, which replays, loads only when a session is resumed).
 */
import type { Store } from '../core/store/store.ts';
import type { SessionRecord } from '../core/store/schema.ts';

/** Why a session cannot be resumed, or null (the message names the way forward). */
export function resumeProblem(s: SessionRecord | undefined, id: string): string | null {
  if (s === undefined) return `no session "${id}" in this store; 'gauntlet sessions' lists them`;
  if (s.status === 'SUSPENDED') return null;
  if (s.status === 'RUNNING') return `session ${id} is RUNNING in another console (or its process died; the next session marks it INTERRUPTED)`;
  return `session ${id} is ${s.status}${s.reason === null ? '' : ` (${s.reason})`}: only a SUSPENDED session can be resumed; 'gauntlet research --replay ${id}' re-runs it`;
}

/** The suspended sessions of a store, newest first (the start screen offers them). */
export function suspendedSessions(store: Store): Array<{ id: string; idea: string; reason: string }> {
  const ideas = new Map(store.ledger().filter((e) => e.action === 'translate').map((e) => [e.session, String(e.payload.idea ?? '')]));
  return store.list('sessions').filter((s) => s.status === 'SUSPENDED').reverse()
    .map((s) => ({ id: s.id, idea: (ideas.get(s.id) ?? '').split('\n')[0] ?? '', reason: s.reason ?? '' }));
}
