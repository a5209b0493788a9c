import { describe, expect, it } from 'vitest';
import { RulesDirector, prose } from '../../src/agents/rules/director.ts';
import { DEFAULT_COST_TABLE } from '../../src/core/budget/cost-table.ts';
import { makeProposal } from '../../src/core/budget/proposal.ts';
import { proposeNext, type DirectorState } from '../../src/core/director/proposals.ts';
import type { CandidateProposal } from '../../src/core/research/ports.ts';
import { universe } from '../core/director-fixtures.ts';

const meta = { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' } as const;
const base: DirectorState = {
  meta, universe: universe(), table: DEFAULT_COST_TABLE, balance: 1000,
  tested: ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL', 'PFE', 'MRK', 'JNJ'].map((symbol) => ({ symbol, interval: '1d' as const })), interval: '1d', pending: [], params: ['len', 'lo'],
  stage: { initialDone: true, oosPassed: true, optimized: true, walkForwardDone: true, reoptimized: false, regimeChecked: false, gatesPassed: true, reviewed: true, holdoutSealed: true },
  aggregates: [
    { sector: 'Tech', symbols: ['AMD', 'NVDA', 'MU', 'AAPL'], trades: 40, avg_trade_return: 0.004, positive_symbols: 3, stability: 0.75, pnl: 0.16, pooled_sharpe: 1.1 },
    { sector: 'Energy', symbols: ['SLB'], trades: 10, avg_trade_return: -0.001, positive_symbols: 0, stability: 0, pnl: -0.01, pooled_sharpe: -0.2 },
    { sector: 'Health', symbols: ['PFE', 'MRK', 'JNJ'], trades: 30, avg_trade_return: 0.003, positive_symbols: 2, stability: 2 / 3, pnl: 0.09, pooled_sharpe: 0.9 },
  ],
  initialSectors: ['Tech', 'Energy'],
};

describe('RulesDirector', () => {
  it('keeps the rules\' order, writes prose for every candidate and answers as "rules"', async () => {
    const candidates = proposeNext(base);
    const out = await new RulesDirector().rank({ meta, candidates, facts: [] }, {});
    expect(out.source).toBe('rules');
    expect(out.value.order).toEqual(candidates.map((c) => c.id));
    expect(Object.keys(out.value.notes).sort()).toEqual(candidates.map((c) => c.id).sort());
    // Every note passes the proposal schema the budget spends against (non-blank justification and gain).
    for (const c of candidates) {
      const n = out.value.notes[c.id]!;
      expect(() => makeProposal({ action: c.action, quantity: c.action === 'add_symbol' ? (c.detail.symbols as string[]).length : 1, ...n }, DEFAULT_COST_TABLE), c.id).not.toThrow();
    }
  });

  it('fills each action\'s template from the detail', () => {
    const byAction = new Map(proposeNext(base).map((c) => [c.id, prose(c)]));
    expect(byAction.get('add_symbol:MSFT+XYZ@1d')).toEqual({
      expected_information_gain: 'tests whether the edge holds beyond the first 4 symbols of Tech',
      justification: '3 of 4 Tech symbols held a positive average trade; MSFT XYZ are the next Tech names by the rules',
    });
    expect(byAction.get('promote@1d')!.justification).toBe('every gate passed and the edge held across sector Health; the holdout opens once and the opening is logged');
    expect([...byAction.keys()]).toEqual(['promote@1d', 'add_symbol:MSFT+XYZ@1d', 'regime_expansion@1d', 'reoptimize@1d', 'kill']);
    const constrain = proposeNext({ ...base, aggregates: base.aggregates.slice(0, 2) }).find((c) => c.action === 'constrain_universe')!;
    expect(prose(constrain).justification).toBe('only Tech shows a positive average trade; keep its 4 symbols, drop the other 1');
    expect(byAction.get('reoptimize@1d')!.expected_information_gain).toBe('whether a re-tune informed by the walk-forward still generalises');
    expect(byAction.get('regime_expansion@1d')!.expected_information_gain).toBe('whether the edge depends on one volatility or trend regime');
  });

  it('falls back to the rules\' rationale for a detail it cannot read', () => {
    const odd: CandidateProposal = { id: 'x', action: 'add_interval', detail: { to: '1h' }, cost: 8, rationale: 'one rung up' };
    expect(prose(odd)).toEqual({ justification: 'one rung up', expected_information_gain: 'what add interval shows about the edge' });
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new RulesDirector().rank({ meta, candidates: [], facts: [] }, { signal: ac.signal })).rejects.toThrow();
  });
});
