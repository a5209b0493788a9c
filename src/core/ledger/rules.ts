import type { InvariantCode } from '../invariants.ts';
import type { LedgerEntry } from './schema.ts';

/**
 * The per-entry rules shared by `appendEntry` (which refuses to write a breach) and
 * `verifyLedger` (which names the first breach in a stored chain), so the two can never disagree.
 */

export interface RuleBreach {
  code: InvariantCode;
  reason: string;
}

type RuleFields = Pick<LedgerEntry, 'session' | 'kind' | 'action' | 'cost' | 'credit' | 'proposal_id' | 'approval' | 'promotion_id'>;

/**
 * Checks one entry against its session's balance before it (`undefined` if the session has no
 * entry yet). Returns the breach, or the balance the entry must carry.
 */
export function checkEntryRules(e: RuleFields, before: number | undefined): RuleBreach | { balance: number } {
  if (before === undefined && e.kind !== 'grant') {
    return { code: 'I7', reason: `session ${e.session} has no budget grant before this ${e.kind} entry` };
  }
  switch (e.kind) {
    case 'grant':
      if (before !== undefined) {
        return { code: 'I7', reason: `a second grant for session ${e.session}; a budget is extended only by promotion (a reset entry)` };
      }
      if (e.cost !== 0 || e.credit <= 0) return { code: 'I7', reason: `a grant must credit > 0 and cost 0 (credit ${e.credit}, cost ${e.cost})` };
      break;
    case 'spend':
      if (e.proposal_id === undefined) return { code: 'I6', reason: `spend for ${e.action} without a Director proposal` };
      if (e.approval === undefined) return { code: 'I6', reason: `spend for ${e.action} (proposal ${e.proposal_id}) without an approval` };
      if (e.credit !== 0) return { code: 'I7', reason: `a spend cannot credit the budget (credit ${e.credit})` };
      break;
    case 'trial':
    case 'record':
      if (e.cost !== 0) return { code: 'I6', reason: `a ${e.kind} entry costs ${e.cost}; only a spend for an approved proposal may cost credits` };
      if (e.credit !== 0) return { code: 'I7', reason: `a ${e.kind} entry credits ${e.credit}; only a promotion may extend a budget` };
      break;
    case 'reset':
      if (e.promotion_id === undefined) return { code: 'I7', reason: 'a budget reset without a promotion' };
      if (e.cost !== 0) return { code: 'I7', reason: `a reset cannot cost credits (cost ${e.cost})` };
      break;
  }
  const balance = (before ?? 0) - e.cost + e.credit;
  if (balance < 0) {
    return { code: 'I7', reason: `balance would be ${balance} (${before ?? 0} − ${e.cost}); the budget is never negative` };
  }
  return { balance };
}
