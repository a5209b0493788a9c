import { UserError } from '../errors.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import { checkLedgerHead } from '../store/ledger-head.ts';

/**
 * The ledger head check as a value: null when the ledger ends where ledger.head says, else the
 * problem (a ledger cut off at its tail still verifies as a chain; only the head file shows it).
 */
export async function ledgerHeadProblem(dir: string, file: string, ledger: ReadonlyArray<LedgerEntry>): Promise<string | null> {
  try {
    await checkLedgerHead(dir, file, ledger);
    return null;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}
