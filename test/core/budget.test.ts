import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/core/budget/budget.ts';
import { ACTIONS, DEFAULT_COST_TABLE, budgetConfig, type Action } from '../../src/core/budget/cost-table.ts';
import { checkProposal, makeProposal, priceProposal } from '../../src/core/budget/proposal.ts';
import { UserError } from '../../src/core/errors.ts';
import { InvariantError } from '../../src/core/invariants.ts';
import { appendEntry } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry, LedgerEntryInput } from '../../src/core/ledger/schema.ts';
import { verifyLedger } from '../../src/core/ledger/verify.ts';

const user = { by: 'user', decision: 'approved' } as const;
const why = { expected_information_gain: 'does the edge survive other names', justification: '3 of 5 tech names held their edge' };

function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof InvariantError) return e.code; throw e; }
  return 'none';
}

/** A ledger plus the helpers a session would use. */
function session(budget = new Budget(), id = 's1') {
  const ledger: LedgerEntry[] = [];
  const add = (inp: LedgerEntryInput): LedgerEntry => { const e = appendEntry(ledger, inp); ledger.push(e); return e; };
  add(budget.grant(ledger, id));
  let n = 0;
  const spend = (action: Action, quantity = 1, mode: 'interactive' | 'auto' = 'interactive') => {
    const proposal = makeProposal({ action, quantity, ...why }, budget.config.prices);
    const r = budget.spend(ledger, { session: id, proposal_id: `p${n++}`, proposal, approval: mode === 'auto' ? { by: 'auto', decision: 'approved' } : user, mode });
    add(r.entry);
    return r;
  };
  return { ledger, add, spend, budget };
}

const promotion = {
  id: 'promo-1', session: 's1', spec_id: 'a'.repeat(64), promoted_at: '2024-06-01T00:00:00.000Z',
  all_gates_passed: true, holdout_opened: true, stable_across: 'sector:Information Technology',
};

describe('cost table', () => {
  it('defaults to DESIGN §6 prices (and a free download of missing bars) and a 1000-credit budget', () => {
    expect(budgetConfig()).toEqual({
      credits: 1000,
      prices: { initial_backtest: 10, add_symbol: 5, add_interval: 8, optimize: 20, walk_forward: 25, regime_expansion: 15, reoptimize: 30, constrain_universe: 0, kill: 0, promote: 0, download: 0 },
    });
  });

  it('a session recorded before an action existed is granted again under its own table as recorded (replay, resume), the new action at its default', () => {
    const { download: _new, ...before } = DEFAULT_COST_TABLE;
    const b = new Budget({ credits: 100, prices: { ...DEFAULT_COST_TABLE, ...before } }, before);
    expect(b.grant([], 's1').payload).toEqual({ prices: before });
    expect(Object.keys(b.grant([], 's1').payload!.prices as object)).not.toContain('download');
    expect(b.config.prices.download).toBe(0);
    expect(new Budget({ credits: 100 }).grant([], 's1').payload).toEqual({ prices: DEFAULT_COST_TABLE });
  });

  it('is configurable, but every action must be priced with a whole number ≥ 0', () => {
    expect(budgetConfig({ credits: 50, prices: { ...DEFAULT_COST_TABLE, optimize: 7 } }).prices.optimize).toBe(7);
    const bad = [
      { prices: { ...DEFAULT_COST_TABLE, optimize: -1 } },
      { prices: { ...DEFAULT_COST_TABLE, optimize: 2.5 } },
      { prices: { ...DEFAULT_COST_TABLE, optimize: '20' } },
      { prices: { initial_backtest: 10 } },
      { prices: { ...DEFAULT_COST_TABLE, teleport: 1 } },
      { credits: 0 },
      { credits: -5 },
    ];
    for (const cfg of bad) expect(() => budgetConfig(cfg), JSON.stringify(cfg)).toThrow(UserError);
    expect(() => budgetConfig({ prices: { initial_backtest: 10 } }, 'research.json')).toThrow(/research\.json: prices\.add_symbol: /);
  });
});

describe('proposals are priced from the table only', () => {
  it('priceProposal: table price, × symbols for add_symbol; a promotion adds the add_symbol price per fresh symbol; other actions are single steps', () => {
    for (const a of ACTIONS) if (a !== 'promote') expect(priceProposal(a, DEFAULT_COST_TABLE)).toBe(DEFAULT_COST_TABLE[a]);
    // promote: 0 plus 5 per fresh symbol (docs/budget.md); quantity counts the fresh symbols and may be 0.
    expect(priceProposal('promote', DEFAULT_COST_TABLE, 0)).toBe(0);
    expect(priceProposal('promote', DEFAULT_COST_TABLE, 4)).toBe(20);
    expect(priceProposal('promote', { ...DEFAULT_COST_TABLE, promote: 3, add_symbol: 7 }, 2)).toBe(17);
    expect(() => priceProposal('promote', DEFAULT_COST_TABLE, -1)).toThrow(RangeError);
    expect(priceProposal('add_symbol', DEFAULT_COST_TABLE, 3)).toBe(15);
    expect(priceProposal('add_symbol', { ...DEFAULT_COST_TABLE, add_symbol: 7 }, 4)).toBe(28);
    expect(() => priceProposal('add_interval', DEFAULT_COST_TABLE, 2)).toThrow(RangeError);
    expect(() => priceProposal('add_symbol', DEFAULT_COST_TABLE, 0)).toThrow(RangeError);
    expect(() => priceProposal('add_symbol', DEFAULT_COST_TABLE, 1.5)).toThrow(RangeError);
  });

  it('makeProposal takes the cost from the table; a cost from anywhere else is an I6 breach', () => {
    const p = makeProposal({ action: 'add_symbol', quantity: 3, ...why }, DEFAULT_COST_TABLE);
    expect(p).toEqual({ action: 'add_symbol', quantity: 3, cost: 15, ...why });
    expect(checkProposal(p, DEFAULT_COST_TABLE)).toEqual(p);
    expect(codeOf(() => checkProposal({ ...p, cost: 1 }, DEFAULT_COST_TABLE))).toBe('I6');
    expect(codeOf(() => checkProposal({ ...p, justification: '   ' }, DEFAULT_COST_TABLE))).toBe('I6');
    expect(codeOf(() => checkProposal({ action: 'optimize', cost: 20, expected_information_gain: 'x' }, DEFAULT_COST_TABLE))).toBe('I6');
    expect(codeOf(() => checkProposal({ ...p, action: 'optimize', cost: 60, quantity: 3 }, DEFAULT_COST_TABLE))).toBe('I6');
  });
});

describe('Budget', () => {
  it('spends approved proposals down to exactly zero, then freezes without spending', () => {
    const s = session(new Budget({ credits: 45 }));
    expect(s.spend('initial_backtest')).toMatchObject({ status: 'approved', cost: 10, balance: 35 });
    expect(s.spend('walk_forward')).toMatchObject({ status: 'approved', cost: 25, balance: 10 });
    expect(s.spend('add_symbol', 2)).toMatchObject({ status: 'approved', cost: 10, balance: 0 });
    const frozen = s.spend('optimize');
    expect(frozen).toMatchObject({ status: 'FROZEN', cost: 20, balance: 0, reason: 'optimize costs 20 credits but only 0 are left' });
    expect(s.ledger.at(-1)).toMatchObject({ kind: 'record', action: 'freeze', cost: 0, balance: 0 });
    // Free actions still work on an empty budget.
    expect(s.spend('kill')).toMatchObject({ status: 'approved', cost: 0, balance: 0 });
    expect(s.budget.balance(s.ledger, 's1')).toBe(0);
    expect(verifyLedger(s.ledger).ok).toBe(true);
  });

  it('never goes negative: 300 seeded random proposals; balance = grant − Σ approved costs, computed here', () => {
    let seed = 7;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const s = session(new Budget({ credits: 400 }));
    let expected = 400;
    for (let i = 0; i < 300; i++) {
      const action = ACTIONS[Math.floor(rand() * ACTIONS.length)]!;
      const qty = action === 'add_symbol' ? 1 + Math.floor(rand() * 6) : 1;
      const price = action === 'promote' ? DEFAULT_COST_TABLE.promote + DEFAULT_COST_TABLE.add_symbol * qty : DEFAULT_COST_TABLE[action] * qty;
      const r = s.spend(action, qty, rand() < 0.5 ? 'auto' : 'interactive');
      if (price <= expected) { expect(r.status).toBe('approved'); expected -= price; } else expect(r.status).toBe('FROZEN');
      expect(s.budget.balance(s.ledger, 's1')).toBe(expected);
      expect(expected).toBeGreaterThanOrEqual(0);
    }
    expect(verifyLedger(s.ledger)).toMatchObject({ ok: true, balances: { s1: expected } });
  });

  it('I6: no spend without a table-priced, justified proposal and an approval; interactive needs the user', () => {
    const s = session();
    const p = makeProposal({ action: 'optimize', ...why }, s.budget.config.prices);
    const req = { session: 's1', proposal_id: 'p', proposal: p, approval: user, mode: 'interactive' as const };
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, approval: undefined }))).toBe('I6');
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, approval: { by: 'auto', decision: 'approved' } }))).toBe('I6');
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, proposal: { ...p, cost: 0 } }))).toBe('I6');
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, proposal: { ...p, justification: '' } }))).toBe('I6');
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, mode: 'auto', approval: { by: 'auto', decision: 'approved' } }))).toBe('none');
    expect(codeOf(() => s.budget.spend(s.ledger, { ...req, session: 'nobody' }))).toBe('I7');
  });

  it('I7: a budget is granted once, and reset or extended only by a valid, unused promotion', () => {
    const s = session(new Budget({ credits: 100 }));
    s.spend('reoptimize');
    s.spend('reoptimize');
    expect(codeOf(() => s.budget.grant(s.ledger, 's1'))).toBe('I7');
    for (const bad of [{ ...promotion, all_gates_passed: false }, { ...promotion, holdout_opened: false }, { ...promotion, stable_across: ' ' }, { ...promotion, session: 'other' }, null]) {
      expect(codeOf(() => s.budget.resetByPromotion(s.ledger, bad)), JSON.stringify(bad)).toBe('I7');
    }
    const reset = s.add(s.budget.resetByPromotion(s.ledger, promotion));
    expect(reset).toMatchObject({ kind: 'reset', credit: 60, balance: 100, promotion_id: 'promo-1' });
    expect(codeOf(() => s.budget.resetByPromotion(s.ledger, promotion))).toBe('I7');
    const ext = s.add(s.budget.extendByPromotion(s.ledger, { ...promotion, id: 'promo-2' }, 250));
    expect(ext).toMatchObject({ kind: 'reset', credit: 250, balance: 350 });
    expect(verifyLedger(s.ledger).ok).toBe(true);
  });
});
