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
  tested: ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL', 'PFE', 'MRK', 'JNJ'].map((symbol) => ({ symbol, interval: '1d' as const })), interval: '1d', phase: { kind: 'research' }, params: ['len', 'lo'],
  stage: { oosPassed: true, optimized: true, walkForwardDone: true, reoptimized: false, regimeChecked: false, gatesPassed: true, edgePassed: true, reviewed: true, holdoutSealed: true },
  aggregates: [
    { sector: 'Tech', symbols: ['AMD', 'NVDA', 'MU', 'AAPL'], trades: 40, avg_trade_return: 0.004, positive_symbols: 3, stability: 0.75, pnl: 0.16, pooled_sharpe: 1.1 },
    { sector: 'Energy', symbols: ['SLB'], trades: 10, avg_trade_return: -0.001, positive_symbols: 0, stability: 0, pnl: -0.01, pooled_sharpe: -0.2 },
    { sector: 'Health', symbols: ['PFE', 'MRK', 'JNJ'], trades: 30, avg_trade_return: 0.003, positive_symbols: 2, stability: 2 / 3, pnl: 0.09, pooled_sharpe: 0.9 },
  ],
  segments: { rows: [], k: 0, alpha: 0.05 }, drawSeed: '1:test', version: 'abcdef0123456789',
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
      expect(() => makeProposal({ action: c.action, quantity: c.action === 'add_symbol' ? (c.detail.symbols as string[]).length : c.action === 'promote' ? (c.detail.fresh as string[]).length : 1, ...n }, DEFAULT_COST_TABLE), c.id).not.toThrow();
    }
  });

  it('fills each action\'s template from the detail', () => {
    const byAction = new Map(proposeNext(base).map((c) => [c.id, { c, p: prose(c) }]));
    // Tested: Tech 4, Energy 1, Health 3 → Energy twice (XOM, the preferred half of CVX/XOM, then CVX), then Tech (MSFT, above XYZ's unknown volatility).
    expect(byAction.get('add_symbol:XOM+CVX+MSFT@1d')!.p).toEqual({
      expected_information_gain: 'the segments with the least evidence first, so no segment absorbs the budget while another is untested',
      justification: 'XOM CVX MSFT come from the thinnest segments by a seeded draw. the thinnest segments (1 tested symbols) come first: breadth before depth',
    });
    const promote = byAction.get('promote:abcdef01@1d')!;
    // 80 trades over 8 symbols = 10 a symbol: 3 reach the minimum, the screen's size asks 8, 4 are untested → 4 (5 credits each).
    expect(promote.c.cost).toBe(20);
    expect(promote.p.justification).toBe(promote.c.rationale);
    expect(promote.p.expected_information_gain).toBe('the one look at data nobody has seen: 4 fresh symbols and the sealed holdout of the scope');
    expect([...byAction.keys()]).toEqual(['promote:abcdef01@1d', 'add_symbol:XOM+CVX+MSFT@1d', 'regime_expansion@1d', 'reoptimize@1d', 'kill']);
    const segments = { rows: [{ segment: 'Energy', symbols: 1, trades: 10, clusters: 10, mean_excess: -0.001, t: -0.5, p: 1, p_holm: 1, holds: false }, { segment: 'Tech', symbols: 4, trades: 40, clusters: 30, mean_excess: 0.004, t: 4.1, p: 0.0001, p_holm: 0.0002, holds: true }], k: 2, alpha: 0.05 };
    const constrain = proposeNext({ ...base, segments, stage: { ...base.stage, edgePassed: false } }).find((c) => c.action === 'constrain_universe')!;
    expect(prose(constrain).justification).toBe('Tech holds Holm\'s test over the 2 segments screened; keep 4 symbols, drop 4. The selection multiplies the multiple-testing N by 2');
    expect(byAction.get('reoptimize@1d')!.p.expected_information_gain).toBe('whether a re-tune informed by the walk-forward still generalises');
    expect(byAction.get('regime_expansion@1d')!.p.expected_information_gain).toBe('whether the edge depends on one volatility or trend regime');
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
