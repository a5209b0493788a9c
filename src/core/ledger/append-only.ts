import { InvariantError } from '../invariants.ts';
import { entryHash, sessionBalance } from './chain.ts';
import { checkEntryRules } from './rules.ts';
import { GENESIS_HASH, type LedgerEntry } from './schema.ts';

/**
 * The store's last check before it writes (I9): `after` must be `before` plus new entries, each
 * correctly chained, hashed and balanced. Anything else — a shorter ledger, a changed entry, an
 * entry built by hand — is refused.
 */
export function assertAppendOnly(before: ReadonlyArray<LedgerEntry>, after: ReadonlyArray<LedgerEntry>): void {
  if (after.length < before.length) {
    throw new InvariantError('I9', `a write would remove ${before.length - after.length} ledger entries`);
  }
  for (let i = 0; i < before.length; i++) {
    if (after[i]!.hash !== before[i]!.hash) throw new InvariantError('I9', `a write would change ledger entry #${i}`);
  }
  for (let i = before.length; i < after.length; i++) {
    const e = after[i]!;
    const prev = i === 0 ? GENESIS_HASH : after[i - 1]!.hash;
    if (e.seq !== i || e.prev !== prev || entryHash(e) !== e.hash) {
      throw new InvariantError('I9', `new ledger entry #${i} is not chained to the ledger (seq ${e.seq}); entries are appended only through appendEntry`);
    }
    const checked = checkEntryRules(e, sessionBalance(after.slice(0, i), e.session));
    if ('code' in checked) throw new InvariantError(checked.code, `ledger entry #${i}: ${checked.reason}`);
    if (checked.balance !== e.balance) throw new InvariantError('I9', `new ledger entry #${i} carries balance ${e.balance}, expected ${checked.balance}`);
  }
}
