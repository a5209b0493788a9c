import { describe, expect, it } from 'vitest';
import { concentrationFacts } from '../../src/core/director/regimes.ts';
import type { RegimePerformance, RegimeStats } from '../../src/core/gates/regimes.ts';

const stat = (regime: RegimeStats['regime'], trades: number, pnl: number): RegimeStats => ({
  regime, bars: 100, trades, pnl, avgTradeReturn: trades > 0 ? pnl / trades : null, sharpe: null, exposure: null,
});

describe('regime concentration facts', () => {
  it('names the regime that holds the edge when it holds ≥ 75 % of the positive PnL', () => {
    const perf: RegimePerformance = {
      // positive PnL: 0.09 (high) + 0.01 (mid) = 0.10 → high holds 90 %; low loses.
      volatility: [stat('vol_low', 10, -0.02), stat('vol_mid', 10, 0.01), stat('vol_high', 10, 0.09)],
      // positive PnL: 0.05 + 0.05 → 50 % each: spread.
      trend: [stat('trend_above', 10, 0.05), stat('trend_below', 10, 0.05)],
      unlabelledTrades: { volatility: 0, trend: 0 },
    };
    expect(concentrationFacts(perf)).toEqual([
      'volatility: the edge is concentrated — 90.0% of the positive PnL came in the high regime',
      'trend: the edge is spread across regimes (largest share 50.0%, above)',
    ]);
  });

  it('says the other regimes lost when only the dominant one made money', () => {
    const perf: RegimePerformance = {
      volatility: [stat('vol_low', 5, -0.01), stat('vol_mid', 0, 0), stat('vol_high', 8, 0.04)],
      trend: [stat('trend_above', 4, -0.01), stat('trend_below', 4, -0.02)],
      unlabelledTrades: { volatility: 0, trend: 0 },
    };
    expect(concentrationFacts(perf)).toEqual([
      'volatility: the edge is concentrated — 100% of the positive PnL came in the high regime, and the other regimes lost',
      'trend: no regime made money',
    ]);
  });
});
