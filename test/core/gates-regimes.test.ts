import { describe, expect, it } from 'vitest';
import { pooledRegimePerformance, regimeConcentration, regimePerformance } from '../../src/core/gates/regimes.ts';
import type { RegimeName, RegimeStats } from '../../src/core/gates/regimes.ts';
import type { RegimeLabels } from '../../src/core/research/run.ts';
import { DAY, makeRun, simpleSharpe } from './gates-helpers.ts';

// 8 daily bars. r_k realised at bar k (k = 1…7).
const r = [0.01, -0.02, 0.03, 0.01, -0.01, 0.02, 0.0];
const labels: RegimeLabels = {
  //                      bar: 0   1  2  3  4  5  6  7
  volatility: Int8Array.from([-1, 0, 0, 1, 2, 2, 1, 0]),
  trend: Int8Array.from([0, 1, 1, -1, -1, 1, -1, 1]),
};
// Trades (entry → exit bar): #1 1→2 +0.02, #2 4→5 −0.01, #3 6→7 +0.03, #4 0→0 +0.005 (entered on an unlabelled bar).
// Position open at bars 0, 1, 2, 4, 5, 6, 7.
const trades = [
  { entry: 1, exit: 2, ret: 0.02 },
  { entry: 4, exit: 5, ret: -0.01 },
  { entry: 6, exit: 7, ret: 0.03 },
  { entry: 0, exit: 0, ret: 0.005 },
];
const run = () => makeRun({ returns: r, trades });

describe('regimePerformance', () => {
  it('attributes trades by the regime at entry and per-bar returns by the regime of their bar', () => {
    const p = regimePerformance(run(), labels);
    // Volatility — low: bars 1, 2, 7 (all open); returns r1, r2, r7; trade #1.
    //              mid: bars 3, 6 (6 open → ½); returns r3, r6; trade #3.
    //              high: bars 4, 5 (both open); returns r4, r5; trade #2.
    expect(p.volatility[0]).toEqual({ regime: 'vol_low', bars: 3, trades: 1, pnl: 0.02, avgTradeReturn: 0.02, sharpe: expect.closeTo(simpleSharpe([0.01, -0.02, 0.0]), 12), exposure: 1 });
    expect(p.volatility[1]).toEqual({ regime: 'vol_mid', bars: 2, trades: 1, pnl: 0.03, avgTradeReturn: 0.03, sharpe: expect.closeTo(simpleSharpe([0.03, 0.02]), 12), exposure: 0.5 });
    expect(p.volatility[2]).toEqual({ regime: 'vol_high', bars: 2, trades: 1, pnl: -0.01, avgTradeReturn: -0.01, sharpe: expect.closeTo(simpleSharpe([0.01, -0.01]), 12), exposure: 1 });
    // Trend — above: bars 1, 2, 5, 7 (all open); returns r1, r2, r5, r7; trade #1.
    //         below: bars 3, 4, 6 (4, 6 open → ⅔); returns r3, r4, r6; trades #2, #3 → pnl 0.02, avg 0.01.
    expect(p.trend[0]).toEqual({ regime: 'trend_above', bars: 4, trades: 1, pnl: 0.02, avgTradeReturn: 0.02, sharpe: expect.closeTo(simpleSharpe([0.01, -0.02, -0.01, 0.0]), 12), exposure: 1 });
    expect(p.trend[1]).toMatchObject({ regime: 'trend_below', bars: 3, trades: 2, exposure: 2 / 3 });
    expect(p.trend[1]!.pnl).toBeCloseTo(0.02, 15);
    expect(p.trend[1]!.avgTradeReturn).toBeCloseTo(0.01, 15);
    expect(p.trend[1]!.sharpe).toBeCloseTo(simpleSharpe([0.03, 0.01, 0.02]), 12);
    // Trade #4 entered on bar 0, unlabelled in both dimensions.
    expect(p.unlabelledTrades).toEqual({ volatility: 1, trend: 1 });
  });

  it('an entry between bar times belongs to the last bar at or before it', () => {
    const x = run();
    x.trades.entryTime[0] = x.time[1]! + DAY / 2; // between bars 1 and 2: still bar 1 (vol_low)
    x.trades.entryTime[1] = x.time[3]! + 1; // just after bar 3: vol_mid, trend_below
    const p = regimePerformance(x, labels);
    expect(p.volatility.map((s) => s.trades)).toEqual([1, 2, 0]);
  });

  it('pools runs: counts add, the Sharpe is over every run’s returns in the regime', () => {
    const p = pooledRegimePerformance([run(), run()], [labels, labels]);
    expect(p.volatility[0]).toMatchObject({ bars: 6, trades: 2, pnl: 0.04, avgTradeReturn: 0.02, exposure: 1 });
    expect(p.volatility[0]!.sharpe).toBeCloseTo(simpleSharpe([0.01, -0.02, 0.0, 0.01, -0.02, 0.0]), 12);
    expect(p.unlabelledTrades).toEqual({ volatility: 2, trend: 2 });
  });

  it('empty regimes report null, not NaN; mismatched labels are refused', () => {
    const none = regimePerformance(makeRun({ returns: [0.01, 0.02] }), { volatility: Int8Array.from([-1, -1, -1]), trend: Int8Array.from([0, 0, 0]) });
    for (const s of [...none.volatility, ...none.trend]) expect(s).toMatchObject({ bars: 0, trades: 0, avgTradeReturn: null, sharpe: null, exposure: null });
    expect(() => regimePerformance(run(), { volatility: new Int8Array(3), trend: new Int8Array(8) })).toThrow(/8 bars but 3\/8 labels/);
  });
});

const stats = (regime: RegimeName, trades: number, pnl: number): RegimeStats => ({ regime, bars: 10, trades, pnl, avgTradeReturn: trades > 0 ? pnl / trades : null, sharpe: null, exposure: 0.5 });

describe('regimeConcentration', () => {
  it('the edge in one regime: ≥ 75 % of the positive PnL', () => {
    // Positive PnL 0.3 + 0.05 = 0.35; vol_low holds 0.3/0.35 ≈ 0.857.
    const c = regimeConcentration([stats('vol_low', 5, 0.3), stats('vol_mid', 5, -0.1), stats('vol_high', 5, 0.05)]);
    expect(c).toMatchObject({ dominant: 'vol_low', concentrated: true, othersNonPositive: false });
    expect(c.share).toBeCloseTo(0.3 / 0.35, 15);
  });

  it('exactly 75 % counts; 60 % does not', () => {
    expect(regimeConcentration([stats('trend_above', 4, 0.75), stats('trend_below', 4, 0.25)])).toMatchObject({ share: 0.75, concentrated: true });
    expect(regimeConcentration([stats('vol_low', 4, 0.3), stats('vol_mid', 4, 0.2), stats('vol_high', 0, 0)])).toMatchObject({ share: 0.6, concentrated: false });
  });

  it('others all ≤ 0 (or untested): share 100 %, othersNonPositive', () => {
    const c = regimeConcentration([stats('vol_low', 0, 0), stats('vol_mid', 3, -0.01), stats('vol_high', 6, 0.12)]);
    expect(c).toEqual({ dominant: 'vol_high', share: 1, othersNonPositive: true, concentrated: true });
  });

  it('no regime made money: nothing to concentrate', () => {
    expect(regimeConcentration([stats('vol_low', 2, -0.1), stats('vol_mid', 0, 0)])).toEqual({ dominant: null, share: null, othersNonPositive: false, concentrated: false });
  });
});
