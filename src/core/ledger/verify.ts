import type { InvariantCode } from '../invariants.ts';
import { entryHash } from './chain.ts';
import { checkEntryRules } from './rules.ts';
import { GENESIS_HASH, type LedgerEntry } from './schema.ts';

export interface LedgerVerdict {
  ok: boolean;
  /** How many entries were checked. */
  entries: number;
  /** The first entry (by sequence position) that breaks the chain or the arithmetic. */
  first_bad?: { seq: number; code: InvariantCode; reason: string };
  /** Balance per session after the last good entry. */
  balances: Record<string, number>;
}

/**
 * Checks the whole chain: sequence numbers contiguous from 0, every hash recomputed, every prev
 * link, and the per-session balance arithmetic and kind rules (never negative, spends backed by an
 * approved proposal, credits only by grant or promotion). Stops at the first breach.
 */
export function verifyLedger(entries: ReadonlyArray<LedgerEntry>): LedgerVerdict {
  const balances = new Map<string, number>();
  const bad = (seq: number, code: InvariantCode, reason: string): LedgerVerdict =>
    ({ ok: false, entries: entries.length, first_bad: { seq, code, reason }, balances: Object.fromEntries(balances) });
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== i) {
      const what = e.seq > i ? 'is missing' : 'is out of place';
      return bad(i, 'I9', `${what}: found entry #${e.seq} where #${i} belongs (entries removed, inserted or reordered?)`);
    }
    if (entryHash(e) !== e.hash) return bad(i, 'I9', 'hash does not match its content (edited after it was written?)');
    const expectedPrev = i === 0 ? GENESIS_HASH : entries[i - 1]!.hash;
    if (e.prev !== expectedPrev) {
      return bad(i, 'I9', i === 0
        ? 'the first entry must link to 64 zeros (entries removed from the start?)'
        : `its prev link does not match the hash of entry #${i - 1} (entries removed, inserted or reordered?)`);
    }
    const before = balances.get(e.session);
    const checked = checkEntryRules(e, before);
    if ('code' in checked) return bad(i, checked.code, checked.reason);
    if (e.balance !== checked.balance) {
      return bad(i, e.balance < 0 ? 'I7' : 'I9',
        `balance is ${e.balance}, expected ${checked.balance} (= ${before ?? 0} − ${e.cost} + ${e.credit})`);
    }
    balances.set(e.session, e.balance);
  }
  return { ok: true, entries: entries.length, balances: Object.fromEntries(balances) };
}

/** The one-line description the CLI prints: `ledger entry #17: hash does not match …`. */
export function describeBreach(v: LedgerVerdict): string {
  return v.first_bad === undefined ? 'ledger verified' : `ledger entry #${v.first_bad.seq}: ${v.first_bad.reason}`;
}
