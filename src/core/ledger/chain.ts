import { canonicalJson, sha256 } from '../spec/hash.ts';
import { InvariantError } from '../invariants.ts';
import { deepFreeze } from '../spec/parse.ts';
import { checkEntryRules } from './rules.ts';
import { GENESIS_HASH, LedgerEntrySchema, type LedgerEntry, type LedgerEntryInput } from './schema.ts';

/** sha256 of the canonical JSON of the entry without its `hash` field. */
export function entryHash(entry: Omit<LedgerEntry, 'hash'> | LedgerEntry): string {
  const { hash: _h, ...body } = entry as LedgerEntry;
  return sha256(canonicalJson(body));
}

/** The balance after the last entry of `session`, or undefined when the session has none. */
export function sessionBalance(entries: ReadonlyArray<LedgerEntry>, session: string): number | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.session === session) return e.balance;
  }
  return undefined;
}

/**
 * Builds the entry that follows `chain` (seq, prev link, balance, hash) after checking the ledger
 * rules; a breach throws its invariant (I6 or I7). It does not modify `chain`: the ledger has no
 * update or delete, and the store is the one place that appends.
 */
export function appendEntry(chain: ReadonlyArray<LedgerEntry>, input: LedgerEntryInput, now: Date = new Date()): LedgerEntry {
  const last = chain.at(-1);
  const fields = {
    seq: chain.length,
    ts: input.ts ?? now.toISOString(),
    session: input.session,
    kind: input.kind,
    action: input.action,
    cost: input.cost ?? 0,
    credit: input.credit ?? 0,
    proposal_id: input.proposal_id,
    approval: input.approval === undefined ? undefined : { ...input.approval },
    spec_id: input.spec_id,
    promotion_id: input.promotion_id,
  };
  const checked = checkEntryRules(fields, sessionBalance(chain, input.session));
  if ('code' in checked) throw new InvariantError(checked.code, `ledger entry #${fields.seq}: ${checked.reason}`);
  // Optional fields are dropped rather than stored as undefined, so the parsed entry re-hashes identically.
  const body = Object.fromEntries(Object.entries({
    ...fields, balance: checked.balance, payload: structuredClone(input.payload ?? {}), prev: last?.hash ?? GENESIS_HASH,
  }).filter(([, v]) => v !== undefined)) as Omit<LedgerEntry, 'hash'>;
  const entry = LedgerEntrySchema.parse({ ...body, hash: entryHash(body) });
  return deepFreeze(entry);
}
