import { InvariantError } from '../invariants.ts';
import { sessionBalance } from '../ledger/chain.ts';
import type { Approval, LedgerEntry, LedgerEntryInput } from '../ledger/schema.ts';
import { budgetConfig, type BudgetConfig, type CostTable } from './cost-table.ts';
import { checkProposal } from './proposal.ts';
import { PromotionSchema, type Promotion } from './promotion.ts';

/**
 * Budget arithmetic over the ledger (DESIGN §6, I6, I7). A Budget holds no balance of its own: the
 * balance is always derived from the session's ledger entries, so the ledger stays the single
 * record. Methods return ledger entry inputs for the caller to append in the same store
 * transaction as the decision they pay for.
 */

export type SessionMode = 'interactive' | 'auto' | 'replay';

export interface SpendRequest {
  session: string;
  proposal_id: string;
  /** Re-validated and re-priced against the table here (I6). */
  proposal: unknown;
  approval: Approval | undefined;
  mode: SessionMode;
  spec_id?: string;
  ts?: string;
}

export type SpendResult =
  | { status: 'approved'; entry: LedgerEntryInput; cost: number; balance: number }
  /** Not enough credits: nothing is spent, the strategy is FROZEN; `entry` is the zero-cost record of that. */
  | { status: 'FROZEN'; entry: LedgerEntryInput; cost: number; balance: number; reason: string };

export class Budget {
  readonly config: BudgetConfig;
  /**
   * The price table the session's grant and record say it was granted under: the config's, or, for a
   * replayed or resumed session recorded before an action existed, its own table as recorded (that action
   * then takes the default price, but the records stay byte for byte what the session wrote).
   */
  readonly granted: Readonly<Partial<CostTable>>;

  constructor(config: Parameters<typeof budgetConfig>[0] = {}, recorded?: Readonly<Partial<CostTable>>) {
    this.config = budgetConfig(config);
    this.granted = recorded ?? this.config.prices;
  }

  /** Credits left in `session`; 0 before its grant. */
  balance(entries: ReadonlyArray<LedgerEntry>, session: string): number {
    return sessionBalance(entries, session) ?? 0;
  }

  /** The session's opening grant. A second grant would be a reset outside promotion (I7). */
  grant(entries: ReadonlyArray<LedgerEntry>, session: string, ts?: string): LedgerEntryInput {
    if (sessionBalance(entries, session) !== undefined) {
      throw new InvariantError('I7', `session ${session} already has its budget; only a promotion may reset or extend it`);
    }
    return { session, kind: 'grant', action: 'budget', credit: this.config.credits, payload: { prices: { ...this.granted } }, ts };
  }

  spend(entries: ReadonlyArray<LedgerEntry>, req: SpendRequest): SpendResult {
    const p = checkProposal(req.proposal, this.config.prices, `proposal ${req.proposal_id}`);
    if (req.approval === undefined) throw new InvariantError('I6', `proposal ${req.proposal_id} (${p.action}) has no approval`);
    if (req.mode === 'interactive' && req.approval.by !== 'user') {
      throw new InvariantError('I6', `proposal ${req.proposal_id} (${p.action}) was approved by ${req.approval.by}, but an interactive session needs the user's approval`);
    }
    const before = sessionBalance(entries, req.session);
    if (before === undefined) throw new InvariantError('I7', `session ${req.session} has no budget grant; nothing can be spent`);
    const common = { session: req.session, proposal_id: req.proposal_id, spec_id: req.spec_id, ts: req.ts };
    if (p.cost > before) {
      const reason = `${p.action} costs ${p.cost} credits but only ${before} are left`;
      return {
        status: 'FROZEN', cost: p.cost, balance: before, reason,
        entry: { ...common, kind: 'record', action: 'freeze', payload: { wanted: p.action, cost: p.cost, balance: before } },
      };
    }
    return {
      status: 'approved', cost: p.cost, balance: before - p.cost,
      entry: { ...common, kind: 'spend', action: p.action, cost: p.cost, approval: { ...req.approval }, payload: { quantity: p.quantity } },
    };
  }

  /** Resets the session's balance to `to` credits (default: the configured budget). Only a promotion can. */
  resetByPromotion(entries: ReadonlyArray<LedgerEntry>, promotion: unknown, to = this.config.credits): LedgerEntryInput {
    const p = this.#checkPromotion(entries, promotion);
    const before = sessionBalance(entries, p.session) ?? 0;
    return this.#promotionEntry(p, Math.max(0, to - before), 'reset');
  }

  /** Adds `extra` credits to the session's balance. Only a promotion can. */
  extendByPromotion(entries: ReadonlyArray<LedgerEntry>, promotion: unknown, extra: number): LedgerEntryInput {
    const p = this.#checkPromotion(entries, promotion);
    return this.#promotionEntry(p, extra, 'extend');
  }

  #promotionEntry(p: Promotion, credit: number, mode: 'reset' | 'extend'): LedgerEntryInput {
    if (!Number.isInteger(credit) || credit < 0) throw new RangeError(`a budget ${mode} must add a whole number ≥ 0 of credits, got ${credit}`);
    return { session: p.session, kind: 'reset', action: 'promote', credit, promotion_id: p.id, spec_id: p.spec_id, payload: { mode, stable_across: p.stable_across } };
  }

  #checkPromotion(entries: ReadonlyArray<LedgerEntry>, promotion: unknown): Promotion {
    const r = PromotionSchema.safeParse(promotion);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new InvariantError('I7', `a budget reset needs a valid promotion record (${issues})`);
    }
    if (sessionBalance(entries, r.data.session) === undefined) {
      throw new InvariantError('I7', `promotion ${r.data.id} names session ${r.data.session}, which has no budget`);
    }
    if (entries.some((e) => e.kind === 'reset' && e.promotion_id === r.data.id)) {
      throw new InvariantError('I7', `promotion ${r.data.id} already reset a budget; each promotion pays once`);
    }
    return r.data;
  }
}
