import { describe, expect, it } from 'vitest';
import { RulesReviewer } from '../../src/agents/rules/reviewer.ts';
import { anonymise } from '../../src/core/anonymise/anonymise.ts';
import { unsupportedNumbers } from '../../src/core/anonymise/numbers.ts';
import type { ReviewAggregates } from '../../src/core/anonymise/schema.ts';
import { sectorAggregates } from '../../src/core/director/aggregates.ts';
import { regimeAggregates } from '../../src/core/director/regimes.ts';
import { check, verdict } from '../../src/core/research/gate.ts';
import type { ReviewInput } from '../../src/core/research/ports.ts';
import type { Meta } from '../../src/core/spec/schema.ts';
import { makeRun } from '../core/director-fixtures.ts';

const MR: Meta = { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' };

/** A consistent short mean reversion, written out by hand (the bands are the documented table's). */
function aggregates(over: { pooled?: Partial<ReviewAggregates['pooled']> } & Omit<Partial<ReviewAggregates>, 'pooled'> = {}): ReviewAggregates {
  return {
    intent: { style: 'mean_reversion', holding_period: 'short', holding_days: { min: 0.5, max: 14 }, trades_per_year_per_series: { min: 10, max: 120 }, win_rate: { min: 0.5, max: null } },
    series: [],
    sectors: [{ sector: 'Tech', labels: ['Tech A', 'Tech B', 'Tech C', 'Tech D', 'Tech E'], symbols: 5, trades: 412, avg_trade_return: 0.00412, positive_symbols: 4, stability: 0.8, pooled_sharpe: 1.31, pnl_share: 1 }],
    regimes: [],
    gates: [],
    notes: [],
    ...over,
    pooled: { series: 5, symbols: 5, sectors: 1, trades: 412, avg_trade_return: 0.00412, win_rate: 0.563, profit_factor: 1.43, avg_holding_days: 3.2, trades_per_year_per_series: 41.2, ...over.pooled },
  };
}

const input = (a: ReviewAggregates | Record<string, unknown>, meta: Meta = MR): ReviewInput => ({ idea: 'buy dips, sell the recovery', meta, aggregates: a });
const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+(?=[A-Z])/);
const review = (a: ReviewAggregates | Record<string, unknown>, meta?: Meta) => new RulesReviewer().review(input(a, meta), {});

describe('RulesReviewer: hand-checked diagnoses', () => {
  it('a behaviour that fits the intent → yes', async () => {
    const out = await review(aggregates());
    expect(out.source).toBe('rules');
    expect(out.value).toEqual({
      diagnosis: 'Across 5 series in 1 sector, 412 trades averaged 0.412% (win rate 56.3%, profit factor 1.43). Holding time, trade frequency and the win/loss profile fit a short-holding mean reversion intent.',
      intent_match: 'yes',
      unsupported_numbers: [],
    });
  });

  it('mean reversion held past its stated period → partly', async () => {
    const out = await review(aggregates({ pooled: { avg_holding_days: 20.5 } }));
    expect(sentences(out.value.diagnosis)[1]).toBe('Positions were held 20.5 days on average, beyond the 14-day ceiling of a short holding period, so the reversion takes longer than the idea assumes.');
    expect(out.value.intent_match).toBe('partly');
  });

  it('held too long and a trend-follower\'s win profile → no', async () => {
    const out = await review(aggregates({ pooled: { avg_holding_days: 20.5, win_rate: 0.41, profit_factor: 1.8 } }));
    expect(sentences(out.value.diagnosis)[2]).toBe('A win rate of 41.0% with profit factor 1.8 is the profile of fewer, larger wins, not the frequent small wins mean reversion aims for.');
    expect(out.value.intent_match).toBe('no');
  });

  it('trade frequency far from what the holding period implies', async () => {
    const out = await review(aggregates({ pooled: { trades_per_year_per_series: 3.1 } }));
    expect(sentences(out.value.diagnosis)[1]).toBe('Each series traded 3.1 times a year, far below the 10 to 120 a short-holding strategy implies.');
    expect(out.value.intent_match).toBe('partly');
    // 6 is inside half the floor (5): not flagged.
    expect((await review(aggregates({ pooled: { trades_per_year_per_series: 6 } }))).value.intent_match).toBe('yes');
  });

  it('an edge concentrated in one sector → partly', async () => {
    const tech = { sector: 'Tech', labels: ['Tech A', 'Tech B', 'Tech C', 'Tech D'], symbols: 4, trades: 300, avg_trade_return: 0.006, positive_symbols: 3, stability: 0.75, pooled_sharpe: 1.5, pnl_share: 1.4 };
    const energy = { sector: 'Energy', labels: ['Energy A'], symbols: 1, trades: 112, avg_trade_return: -0.002, positive_symbols: 0, stability: 0, pooled_sharpe: -0.3, pnl_share: -0.4 };
    const out = await review(aggregates({ sectors: [tech, energy], pooled: { sectors: 2 } }));
    expect(sentences(out.value.diagnosis)[1]).toBe('The edge is concentrated in Tech: 3 of its 4 symbols have a positive average trade (0.600% pooled), and no other sector\'s average trade is positive.');
    expect(out.value.intent_match).toBe('partly');
    const shared = await review(aggregates({ sectors: [{ ...tech, pnl_share: 0.82 }, { ...energy, avg_trade_return: 0.001, pnl_share: 0.18 }], pooled: { sectors: 2 } }));
    expect(sentences(shared.value.diagnosis)[1]).toBe('Tech carries 82.0% of the summed trade returns, so the edge leans on one sector.');
  });

  it('an edge that lives in one regime → partly', async () => {
    const regimes = [
      { dimension: 'volatility', regime: 'low', trades: 10, avg_trade_return: -0.001, win_rate: 0.4 },
      { dimension: 'volatility', regime: 'mid', trades: 12, avg_trade_return: -0.0005, win_rate: 0.45 },
      { dimension: 'volatility', regime: 'high', trades: 20, avg_trade_return: 0.009, win_rate: 0.7 },
      { dimension: 'trend', regime: 'up', trades: 30, avg_trade_return: 0.004, win_rate: 0.6 },
      { dimension: 'trend', regime: 'down', trades: 12, avg_trade_return: 0.001, win_rate: 0.5 },
    ];
    const out = await review(aggregates({ regimes }));
    expect(sentences(out.value.diagnosis)[1]).toBe('By volatility regime, only high had a positive average trade (0.900% over 20 trades).');
    expect(out.value.intent_match).toBe('partly');
  });

  it('names a failed gate with its measured value', async () => {
    const gates = [{ gate: 'viability', verdict: 'FAIL' as const, pass: false, checks: [{ name: 'scope_trade_rate', value: 37.2, op: '>=', threshold: 100, verdict: 'FAIL' as const, pass: false }] }];
    const out = await review(aggregates({ gates }));
    expect(sentences(out.value.diagnosis)[1]).toBe('The viability gate failed: scope_trade_rate was 37.2 against >= 100.');
  });

  it('names a gate that could not judge yet, and the check that is missing its sample', async () => {
    const gates = [{ gate: 'edge', verdict: 'INSUFFICIENT' as const, pass: false, checks: [{ name: 'edge_t', value: 1.4, op: '>=', threshold: 2, verdict: 'INSUFFICIENT' as const, pass: false }] }];
    const out = await review(aggregates({ gates }));
    expect(sentences(out.value.diagnosis)[1]).toBe('The edge gate could not judge yet: edge_t was 1.4 against >= 2.');
  });

  it('a trend follower that wins too often', async () => {
    const trend: Meta = { ...MR, style: 'trend_following' };
    const a = aggregates({ pooled: { win_rate: 0.7 } });
    const out = await review({ ...a, intent: { ...a.intent, style: 'trend_following', win_rate: { min: null, max: 0.6 } } }, trend);
    expect(sentences(out.value.diagnosis)[1]).toBe('A win rate of 70.0% is high for trend following, which usually wins less often but bigger; the exits may cut winners short.');
  });

  it('no trades → no; at most five sentences; unreadable input → partly', async () => {
    const none = await review(aggregates({ pooled: { trades: 0, avg_trade_return: null, win_rate: null, profit_factor: null, avg_holding_days: null } }));
    expect(none.value).toEqual({ diagnosis: 'Across 5 series in 1 sector there was no closed trade. Nothing here shows the mean reversion behaviour the idea describes.', intent_match: 'no', unsupported_numbers: [] });
    const gates = [{ gate: 'viability', verdict: 'FAIL' as const, pass: false, checks: [{ name: 'avg_net_trade_return', value: 0.0004, op: '>=', threshold: 0.002, verdict: 'FAIL' as const, pass: false }] }];
    const many = await review(aggregates({ gates, pooled: { avg_holding_days: 30, win_rate: 0.3, trades_per_year_per_series: 400 } }));
    expect(sentences(many.value.diagnosis)).toHaveLength(5);
    const bad = await review({ pooled: 'nope' });
    expect(bad.value.intent_match).toBe('partly');
    expect(sentences(bad.value.diagnosis)).toHaveLength(2);
  });
});

describe('RulesReviewer quotes only numbers of its input', () => {
  const verdicts = [verdict('viability', [check('trades_per_year', 37.25, '>=', 100), check('max_drawdown', 0.1234, '<=', 0.25)])];
  const day = (symbol: string, sector: string, trades: Array<[number, number, number]>, tpy: number) =>
    makeRun({ symbol, sector, bars: 500, trades, metrics: { trades: trades.length, trades_per_year: tpy, win_rate: 0.5, avg_trade_return: 0.001 } });
  const cases: Array<[string, ReviewInput]> = [];
  {
    const runs = [
      day('AAPL', 'Tech', [[5, 30, 0.031], [40, 70, -0.012], [100, 133, 0.0217]], 2.19),
      day('MSFT', 'Tech', [[8, 12, 0.0041], [50, 61, 0.0093]], 1.46),
      day('XOM', 'Energy', [[20, 22, -0.0071]], 0.73),
    ];
    const labels = runs.map((r) => ({ volatility: Int8Array.from({ length: r.time.length }, (_, i) => i % 3), trend: Int8Array.from({ length: r.time.length }, (_, i) => (i < 60 ? 1 : -1)) }));
    cases.push(['daily, two sectors, regimes, a failed gate', { idea: 'x', meta: MR, aggregates: anonymise(runs, MR, verdicts, sectorAggregates(runs), { regimes: regimeAggregates(runs, labels) }) }]);
  }
  {
    const meta: Meta = { style: 'momentum', holding_period: 'intraday', volatility_preference: 'any', market_type: 'crypto' };
    const run = makeRun({ symbol: 'BTCUSD', sector: 'Crypto', interval: '5m', bars: 3000, barMs: 300_000, barsPerYear: 105_120,
      trades: [[10, 22, 0.0013], [200, 230, -0.0021], [900, 990, 0.0045], [1500, 1501, 0.0002]], metrics: { trades: 4, trades_per_year: 140.16 } });
    cases.push(['intraday crypto momentum', { idea: 'y', meta, aggregates: anonymise([run], meta, [], sectorAggregates([run])) }]);
  }
  {
    const meta: Meta = { style: 'trend_following', holding_period: 'long', volatility_preference: 'low', market_type: 'equities' };
    const runs = [makeRun({ symbol: 'JNJ', sector: 'Health', bars: 900, trades: [[50, 400, 0.18], [450, 880, 0.07]], metrics: { trades: 2, trades_per_year: 0.81 } }),
      makeRun({ symbol: 'PFE', sector: 'Health', bars: 900, trades: [[60, 300, -0.05]], metrics: { trades: 1, trades_per_year: 0.41 } })];
    cases.push(['long trend, few trades', { idea: 'z', meta, aggregates: anonymise(runs, meta, verdicts, sectorAggregates(runs)) }]);
  }
  cases.push(['hand-built, everything wrong', input(aggregates({ pooled: { avg_holding_days: 30.7, win_rate: 0.337, profit_factor: 2.41, trades_per_year_per_series: 311 } }))]);

  for (const [name, inp] of cases) {
    it(name, async () => {
      const out = await new RulesReviewer().review(inp, {});
      const n = sentences(out.value.diagnosis).length;
      expect(n, out.value.diagnosis).toBeGreaterThanOrEqual(2);
      expect(n, out.value.diagnosis).toBeLessThanOrEqual(5);
      expect(unsupportedNumbers(out.value.diagnosis, inp), out.value.diagnosis).toEqual([]);
      expect(out.value.unsupported_numbers).toEqual([]);
    });
  }
});
