import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_TABLE, type CostTable } from '../../src/core/budget/cost-table.ts';
import type { SectorAggregate } from '../../src/core/director/aggregates.ts';
import { DetailSchema } from '../../src/core/director/details.ts';
import { proposeNext, type DirectorState, type ResearchStage } from '../../src/core/director/proposals.ts';
import type { Interval } from '../../src/core/intervals.ts';
import type { CandidateProposal } from '../../src/core/research/ports.ts';
import { universe } from './director-fixtures.ts';

const STAGE: ResearchStage = {
  initialDone: true, oosPassed: false, optimized: false, walkForwardDone: false, reoptimized: false,
  regimeChecked: false, gatesPassed: false, reviewed: false, holdoutSealed: true,
};

const agg = (sector: string, symbols: string[], positive: number, avg: number | null): SectorAggregate => ({
  sector, symbols, trades: 10 * symbols.length, avg_trade_return: avg, positive_symbols: positive, stability: positive / symbols.length, pnl: (avg ?? 0) * 10 * symbols.length, pooled_sharpe: null,
});

const STARTER = ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL'];
/** AMD, NVDA, AAPL positive, MU negative: Tech holds 3 of 4; Energy has one positive name. */
const AGGS = [agg('Tech', ['AMD', 'NVDA', 'MU', 'AAPL'], 3, 0.004), agg('Energy', ['SLB'], 1, 0.003)];

function state(over: Omit<Partial<DirectorState>, 'stage'> & { stage?: Partial<ResearchStage> } = {}): DirectorState {
  const interval: Interval = over.interval ?? '1d';
  return {
    meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' },
    universe: universe(),
    table: DEFAULT_COST_TABLE,
    balance: 1000,
    tested: STARTER.map((symbol) => ({ symbol, interval })),
    interval,
    pending: [],
    params: ['len', 'lo'],
    aggregates: AGGS,
    initialSectors: ['Tech', 'Energy'],
    ...over,
    stage: { ...STAGE, ...over.stage },
  };
}

const brief = (ps: CandidateProposal[]) => ps.map((p) => `${p.id} ${p.cost}`);

describe('proposeNext', () => {
  it('before anything ran: the initial backtest of the first starter symbol, or kill', () => {
    const ps = proposeNext(state({ tested: [], interval: null, aggregates: [], stage: { initialDone: false } }));
    expect(brief(ps)).toEqual(['initial:AMD@1d 10', 'kill 0']);
    expect(ps[0]!.detail).toEqual({ symbols: ['AMD'], interval: '1d' });
  });

  it('while starter symbols are pending: only those (priced per symbol), or kill', () => {
    const ps = proposeNext(state({ tested: [{ symbol: 'AMD', interval: '1d' }], pending: ['NVDA', 'MU', 'SLB', 'AAPL'], aggregates: [agg('Tech', ['AMD'], 1, 0.01)] }));
    expect(brief(ps)).toEqual(['add_symbol:NVDA+MU+SLB+AAPL@1d 20', 'kill 0']);
    expect(ps[0]!.detail).toEqual({ symbols: ['NVDA', 'MU', 'SLB', 'AAPL'], interval: '1d', sector: null, purpose: 'starter', tested: 1, positive: 1 });
  });

  it('after the starter set: deepen the sector that holds, then a new sector, then regimes; no optimisation before OOS (I4)', () => {
    const ps = proposeNext(state());
    // Tech left at 1d: MSFT 0.25 and XYZ (NaN vol, last). New sector: the highest-vol name outside Tech/Energy is PFE (Health).
    // 1d is the last of mean reversion's candidate intervals, so no ladder step forward.
    expect(brief(ps)).toEqual(['add_symbol:MSFT+XYZ@1d 10', 'add_symbol:PFE+MRK+JNJ@1d 15', 'regime_expansion@1d 15', 'kill 0']);
    expect(ps[0]!.detail).toMatchObject({ sector: 'Tech', purpose: 'deepen', tested: 4, positive: 3 });
    expect(ps[1]!.detail).toMatchObject({ sector: 'Health', purpose: 'new_sector' });
    expect(ps[0]!.rationale).toBe('Tech held a positive average trade on 3 of 4 symbols; test 2 more Tech names');
  });

  it('without a sector that holds: breadth by the volatility rule', () => {
    const ps = proposeNext(state({ aggregates: [agg('Tech', ['AMD', 'NVDA', 'MU', 'AAPL'], 2, 0.004), agg('Energy', ['SLB'], 1, 0.003)] }));
    // Next three by volatility among untested equities at 1d: XOM 0.28, CVX 0.27, MSFT 0.25.
    expect(ps[0]!.id).toBe('add_symbol:XOM+CVX+MSFT@1d');
    expect(ps[0]!.detail).toMatchObject({ sector: null, purpose: 'breadth' });
  });

  it('optimize and walk-forward only after an out-of-sample pass; reoptimize only after a walk-forward', () => {
    const oos = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true } }));
    expect(oos.map((p) => p.action)).toEqual(['add_symbol', 'add_symbol', 'optimize', 'walk_forward', 'kill']);
    expect(oos[2]!.detail).toEqual({ interval: '1d', symbols: STARTER, params: ['len', 'lo'] });
    const after = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true, optimized: true, walkForwardDone: true } }));
    expect(after.map((p) => p.id)).toContain('reoptimize@1d');
    expect(after.map((p) => p.action)).not.toContain('optimize');
    expect(after.map((p) => p.action)).not.toContain('walk_forward');
    const done = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true, optimized: true, walkForwardDone: true, reoptimized: true } }));
    expect(done.map((p) => p.action)).not.toContain('reoptimize');
    expect(proposeNext(state({ params: [], stage: { oosPassed: true } })).map((p) => p.action)).not.toContain('optimize');
  });

  it('steps the interval forward along the candidate order, one rung', () => {
    const ps = proposeNext(state({ interval: '1h', tested: [{ symbol: 'AAPL', interval: '1h' }, { symbol: 'MSFT', interval: '1h' }], aggregates: [agg('Tech', ['AAPL', 'MSFT'], 2, 0.01)], stage: { regimeChecked: true } }));
    const step = ps.find((p) => p.action === 'add_interval')!;
    expect(step.id).toBe('add_interval:1h->4h');
    expect(step.detail).toEqual({ from: '1h', interval: '4h', direction: 'up', symbols: ['AAPL', 'MSFT'] });
    expect(step.cost).toBe(8);
  });

  it('promotes first when every gate passed, the review ran, the holdout is sealed and a new sector held', () => {
    const aggs = [...AGGS, agg('Health', ['PFE', 'MRK', 'JNJ'], 2, 0.002)];
    const ready = { gatesPassed: true, reviewed: true, regimeChecked: true };
    const ps = proposeNext(state({ aggregates: aggs, stage: ready }));
    expect(ps[0]!.id).toBe('promote@1d');
    expect(ps[0]!.cost).toBe(0);
    expect(ps[0]!.detail).toMatchObject({ stable_across: 'sector:Health' });
    expect(proposeNext(state({ aggregates: aggs, stage: { ...ready, holdoutSealed: false } })).map((p) => p.action)).not.toContain('promote');
    expect(proposeNext(state({ aggregates: aggs, stage: { ...ready, reviewed: false } })).map((p) => p.action)).not.toContain('promote');
    expect(proposeNext(state({ aggregates: aggs, initialSectors: ['Tech', 'Energy', 'Health'], stage: ready })).map((p) => p.action)).not.toContain('promote');
  });

  it('constrains the universe (free) when only one sector has an edge', () => {
    const ps = proposeNext(state({ aggregates: [AGGS[0]!, agg('Energy', ['SLB'], 0, -0.004)] }));
    expect(brief(ps)[0]).toBe('constrain_universe:Tech 0');
    expect(ps[0]!.detail).toEqual({ sector: 'Tech', keep: ['AMD', 'NVDA', 'MU', 'AAPL'], drop: ['SLB'] });
    const constrained = proposeNext(state({ constrainedTo: 'Tech', aggregates: [AGGS[0]!] }));
    expect(constrained.map((p) => p.detail.purpose)).not.toContain('new_sector');
  });

  it('drops what the balance cannot pay and what the user vetoed; kill stays', () => {
    expect(brief(proposeNext(state({ balance: 12 })))).toEqual(['add_symbol:MSFT+XYZ@1d 10', 'kill 0']);
    expect(brief(proposeNext(state({ balance: 0 })))).toEqual(['kill 0']);
    const vetoed = new Set(['add_symbol:MSFT+XYZ@1d', 'regime_expansion@1d', 'kill']);
    expect(brief(proposeNext(state({ vetoed })))).toEqual(['add_symbol:PFE+MRK+JNJ@1d 15', 'kill 0']);
  });

  it('prices every proposal from the table: add_symbol per symbol, the rest per step', () => {
    const table: CostTable = { ...DEFAULT_COST_TABLE, add_symbol: 7, regime_expansion: 3, optimize: 11, walk_forward: 13 };
    const ps = proposeNext(state({ table, stage: { oosPassed: true } }));
    expect(brief(ps)).toEqual(['add_symbol:MSFT+XYZ@1d 14', 'add_symbol:PFE+MRK+JNJ@1d 21', 'regime_expansion@1d 3', 'optimize@1d 11', 'walk_forward@1d 13', 'kill 0']);
  });

  it('writes details the schema accepts, and is deterministic', () => {
    const all = [
      ...proposeNext(state({ stage: { oosPassed: true, optimized: true, walkForwardDone: true } })),
      ...proposeNext(state({ aggregates: [AGGS[0]!, agg('Energy', ['SLB'], 0, -0.004), agg('Health', ['PFE', 'MRK', 'JNJ'], 3, 0.01)], stage: { gatesPassed: true, reviewed: true } })),
      ...proposeNext(state({ interval: '1h', tested: [{ symbol: 'AAPL', interval: '1h' }] })),
      ...proposeNext(state({ tested: [], interval: null, stage: { initialDone: false } })),
    ];
    for (const p of all) expect(DetailSchema.safeParse({ action: p.action, detail: p.detail }).success, p.id).toBe(true);
    expect(proposeNext(state())).toEqual(proposeNext(state()));
  });
});
