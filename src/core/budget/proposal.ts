import { z } from 'zod';
import { InvariantError } from '../invariants.ts';
import { ActionSchema, type Action, type CostTable } from './cost-table.ts';

/**
 * A Director proposal (DESIGN §6): what to do next, what it costs and why. The cost is never an
 * input: `makeProposal` takes it from the table through `priceProposal`, and `checkProposal`
 * re-prices any proposal read back from storage, so a cost an LLM (or a hand edit) invented is
 * caught before a credit moves (I6).
 */

const NonBlank = z.string().trim().min(1, { message: 'must not be blank' });

export const ProposalSchema = z.strictObject({
  action: ActionSchema,
  /** How many units the price covers: symbols for add_symbol, fresh symbols for promote (may be 0), 1 for everything else. */
  quantity: z.number().int().nonnegative().default(1),
  cost: z.number().int().nonnegative(),
  expected_information_gain: NonBlank,
  justification: NonBlank,
});
export type Proposal = z.infer<typeof ProposalSchema>;

/** Actions priced per unit; every other action is a single step (the ladder moves one interval at a time, I3). */
const PER_UNIT: ReadonlySet<Action> = new Set<Action>(['add_symbol']);

/**
 * The only way to get a cost: table price × quantity (quantity > 1 only where the action is priced per
 * unit). A promotion is its own price plus one symbol backtest (the add_symbol price) for each fresh
 * symbol of its confirmation: quantity counts those, and may be 0.
 */
export function priceProposal(action: Action, table: CostTable, quantity = 1): number {
  if (action === 'promote') {
    if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`a promotion's quantity (its fresh symbols) must be a whole number ≥ 0, got ${quantity}`);
    return table.promote + table.add_symbol * quantity;
  }
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity must be a whole number ≥ 1, got ${quantity}`);
  if (quantity !== 1 && !PER_UNIT.has(action)) throw new RangeError(`${action} is priced per step, not per unit; quantity must be 1, got ${quantity}`);
  return table[action] * quantity;
}

export interface ProposalDraft {
  action: Action;
  quantity?: number;
  expected_information_gain: string;
  justification: string;
}

export function makeProposal(draft: ProposalDraft, table: CostTable): Proposal {
  const quantity = draft.quantity ?? 1;
  return ProposalSchema.parse({ ...draft, quantity, cost: priceProposal(draft.action, table, quantity) });
}

/** Re-validates a proposal and its price against the table; a breach is I6 (not a justified, table-priced proposal). */
export function checkProposal(proposal: unknown, table: CostTable, id = 'proposal'): Proposal {
  const r = ProposalSchema.safeParse(proposal);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvariantError('I6', `${id} is not a valid Director proposal (${issues})`);
  }
  const p = r.data;
  let price: number;
  try {
    price = priceProposal(p.action, table, p.quantity);
  } catch (e) {
    throw new InvariantError('I6', `${id}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (p.cost !== price) {
    throw new InvariantError('I6', `${id} claims ${p.cost} credits for ${p.action}×${p.quantity} but the table prices it at ${price}; costs come from the table only`);
  }
  return p;
}
