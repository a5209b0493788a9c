import { describe, expect, it } from 'vitest';
import { anonymise, scrub, symbolAliases } from '../../src/core/anonymise/anonymise.ts';
import { intentBands, outside } from '../../src/core/anonymise/intent.ts';
import { ReviewAggregatesSchema } from '../../src/core/anonymise/schema.ts';
import { sectorAggregates } from '../../src/core/director/aggregates.ts';
import { regimeAggregates } from '../../src/core/director/regimes.ts';
import { check, verdict } from '../../src/core/research/gate.ts';
import type { Meta } from '../../src/core/spec/schema.ts';
import { makeRun } from './director-fixtures.ts';

const META: Meta = { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' };

describe('symbolAliases', () => {
  it('letters per sector in test order, not ticker order', () => {
    const runs = [
      makeRun({ symbol: 'NVDA', sector: 'Tech' }), makeRun({ symbol: 'XOM', sector: 'Energy' }), makeRun({ symbol: 'AAPL', sector: 'Tech' }),
      makeRun({ symbol: 'NVDA', sector: 'Tech', interval: '4h' }), makeRun({ symbol: 'CVX', sector: 'Energy' }),
    ];
    expect([...symbolAliases(runs)]).toEqual([['NVDA', 'Tech A'], ['XOM', 'Energy A'], ['AAPL', 'Tech B'], ['CVX', 'Energy B']]);
  });

  it('goes on AA, AB … after Z', () => {
    const runs = Array.from({ length: 28 }, (_, i) => makeRun({ symbol: `S${i}`, sector: 'X' }));
    const a = symbolAliases(runs);
    expect([a.get('S0'), a.get('S25'), a.get('S26'), a.get('S27')]).toEqual(['X A', 'X Z', 'X AA', 'X AB']);
  });
});

describe('scrub', () => {
  it('replaces tickers, dates and years in one pass', () => {
    const aliases = new Map([['AAPL', 'Tech B'], ['A', 'Health A'], ['AA', 'Materials A'], ['BRK.B', 'Financials A']]);
    expect(scrub('AAPL beat A and AA (and BRK.B) on 2015-03-02, all of 2016; AAPLX and a stay', aliases))
      .toBe('Tech B beat Health A and Materials A (and Financials A) on [date], all of [year]; AAPLX and a stay');
  });
});

describe('intent bands', () => {
  it('follow the documented table', () => {
    expect(intentBands(META)).toEqual({
      style: 'mean_reversion', holding_period: 'short', holding_days: { min: 0.5, max: 14 }, trades_per_year_per_series: { min: 10, max: 120 }, win_rate: { min: 0.5, max: null },
    });
    expect(intentBands({ ...META, style: 'breakout', holding_period: 'long' }).holding_days).toEqual({ min: 60, max: null });
    expect([outside(4, { min: 10, max: 120 }, 2), outside(6, { min: 10, max: 120 }, 2), outside(241, { min: 10, max: 120 }, 2), outside(15, { min: 0.5, max: 14 })]).toEqual([-1, 0, 1, 1]);
  });
});

/** Three years of daily bars, six symbols in three sectors, gate notes that mention tickers and dates. */
function realistic() {
  const base = { bars: 730, barsPerYear: 365 };
  const runs = [
    makeRun({ ...base, symbol: 'AAPL', sector: 'Information Technology', trades: [[10, 20, 0.05], [100, 130, -0.04], [200, 210, 0.03]],
      metrics: { total_return: 0.03824, sharpe: 0.4123, max_drawdown: 0.04, trades: 3, trades_per_year: 1.5021, avg_trade_return: 0.013333, win_rate: 0.66667, profit_factor: 2, exposure: 0.0685 } }),
    makeRun({ ...base, symbol: 'MSFT', sector: 'Information Technology', trades: [[30, 35, 0.01], [60, 64, 0.012], [90, 99, -0.002]] }),
    makeRun({ ...base, symbol: 'NVDA', sector: 'Information Technology', trades: [[40, 45, 0.02], [300, 305, 0.004]] }),
    makeRun({ ...base, symbol: 'XOM', sector: 'Energy', trades: [[50, 70, -0.01], [400, 420, -0.02]] }),
    makeRun({ ...base, symbol: 'CVX', sector: 'Energy', trades: [[80, 85, 0.001]] }),
    makeRun({ ...base, symbol: 'JPM', sector: 'Financials', trades: [] }),
  ];
  const verdicts = [
    verdict('viability', [check('trades_per_year', 14.5, '>=', 100, 'pooled over AAPL@1d, MSFT@1d … from 2016-01-04 to 2017-12-31'), check('max_drawdown', 0.0412, '<=', 0.25)]),
    verdict('distribution', [check('top5_share', 0.31, '<=', 0.5)]),
  ];
  const labels = runs.map((r) => ({ volatility: Int8Array.from({ length: r.time.length }, (_, i) => (i < 20 ? -1 : i % 3)), trend: Int8Array.from({ length: r.time.length }, (_, i) => (i < 20 ? 0 : i < 365 ? 1 : -1)) }));
  return { runs, verdicts, regimes: regimeAggregates(runs, labels) };
}

describe('anonymise', () => {
  const { runs, verdicts, regimes } = realistic();
  const out = anonymise(runs, META, verdicts, sectorAggregates(runs), { regimes, notes: ['NVDA carried the sector in 2017', 'JPM never traded'] });
  const json = JSON.stringify(out);

  it('shows no ticker and no calendar year anywhere', () => {
    for (const t of ['AAPL', 'MSFT', 'NVDA', 'XOM', 'CVX', 'JPM']) expect(json).not.toContain(t);
    expect(json).not.toMatch(/(?<!\d)(?:19|20)\d\d(?!\d)/);
    expect(json).toContain('Information Technology C carried the sector in [year]');
    expect(out.gates[0]!.checks[0]!.note).toBe('pooled over Information Technology A@1d, Information Technology B@1d … from [date] to [date]');
  });

  it('states each series relative to itself, rounded to 3 significant digits', () => {
    // AAPL: equity 1 → 1.05 at bar 20 → ×0.96 at bar 130 (the trough, 1-based bar 131, day 130 → month ⌊130 / 30.44⌋ + 1 = 5).
    // 729 days span → ⌈729 / 30.44⌉ = 24 months. Holding 10, 30, 10 bars (daily bars, so days too) → 16.7.
    expect(out.series[0]).toEqual({
      label: 'Information Technology A', sector: 'Information Technology', interval: '1d', segment: 'visible', bars: 730, span: '730 bars over 24 months',
      trades: 3, trades_per_year: 1.5, total_return: 0.0382, sharpe: 0.412, max_drawdown: 0.04, exposure: 0.0685, avg_trade_return: 0.0133, win_rate: 0.667, profit_factor: 2,
      avg_holding_bars: 16.7, avg_holding_days: 16.7, drawdown_trough: 'bar 131 of 730 (month 5 of 24)',
      busiest_period: { at: 'month 1 of 24', trades: 1, share: 0.333 },
    });
    expect(out.series[5]!.busiest_period).toBeNull();
    expect(out.series[5]!.drawdown_trough).toBeNull();
  });

  it('pools trades and summarises sectors with anonymised labels', () => {
    // 11 trades: +0.05 −0.04 +0.03 +0.01 +0.012 −0.002 +0.02 +0.004 −0.01 −0.02 +0.001 → Σ = 0.055, 7 wins, gains 0.127, losses 0.072.
    // Holding days 10 30 10 | 5 4 9 | 5 5 | 20 20 | 5 = 123 → 11.2; trades/year only set on the first series (1.5) → 1.5 / 6.
    expect(out.pooled).toEqual({ series: 6, symbols: 6, sectors: 3, trades: 11, avg_trade_return: 0.005, win_rate: 0.636, profit_factor: 1.76, avg_holding_days: 11.2, trades_per_year_per_series: 0.25 });
    // IT Σ = 0.084 of 0.055 total; Energy −0.029; Financials 0.
    expect(out.sectors.map((s) => [s.sector, s.labels, s.positive_symbols, s.pnl_share])).toEqual([
      ['Information Technology', ['Information Technology A', 'Information Technology B', 'Information Technology C'], 3, 1.53],
      ['Energy', ['Energy A', 'Energy B'], 1, -0.527],
      ['Financials', ['Financials A'], 0, 0],
    ]);
    // Entry bars 10 (warm-up) 100 200 | 30 60 90 | 40 300 | 50 400 | 80; volatility = bar mod 3, trend up before bar 365.
    expect(out.regimes.map((g) => `${g.dimension}:${g.regime}:${g.trades}`)).toEqual(['volatility:low:4', 'volatility:mid:3', 'volatility:high:3', 'trend:up:9', 'trend:down:1']);
    expect(ReviewAggregatesSchema.safeParse(JSON.parse(json)).success).toBe(true);
  });

  it('uses days, not months, for spans under 60 days', () => {
    const run = makeRun({ symbol: 'BTCUSD', sector: 'Crypto', interval: '5m', bars: 2880, barMs: 300_000, trades: [[10, 20, 0.001], [1500, 1510, -0.001]], barsPerYear: 105_120 });
    const s = anonymise([run], META, [], sectorAggregates([run])).series[0]!;
    expect(s.span).toBe('2880 bars over 10 days');
    expect(s.drawdown_trough).toBe('bar 1511 of 2880 (day 6 of 10)');
    expect(s.avg_holding_bars).toBe(10);
    expect(s.avg_holding_days).toBe(0.0347);
  });
});
