// Moments, per-bar Sharpe and annualisation (stats.md §6 conventions; DESIGN §5).
import { describe, expect, it } from 'vitest';
import {
  annualizeSharpe,
  deannualizeSharpe,
  deannualizeSharpeVariance,
  kurtosis,
  mean,
  moments,
  sharpeRatio,
  skewness,
  standardDeviation,
  variance,
} from '../../src/core/stats/index.ts';
import { expectDigits } from './stats-helpers.ts';

// empyrical tests/test_stats.py inputs (stats.md §6). empyrical is NaN-aware: drop the NaN first.
const mixed = [0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1];
const weekly = [0, 0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1];
const positive = [0.01, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];

describe('moments: population g3 and NON-excess g4', () => {
  // Hand computation for [1, 2, 3, 4, 10]: mean 4; deviations −3 −2 −1 0 6;
  // m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8 → g3 = 36/10^1.5, g4 = 2.788.
  const x = [1, 2, 3, 4, 10];
  it('matches the hand computation (= scipy.stats.skew, kurtosis(fisher=False))', () => {
    const m = moments(x);
    expect(m.n).toBe(5);
    expect(m.mean).toBe(4);
    expect(m.variance).toBe(12.5); // 50/4, ddof 1
    expectDigits(m.skewness, String(36 / Math.pow(10, 1.5)));
    expectDigits(m.kurtosis, '2.788');
    expect(skewness(x)).toBe(m.skewness);
    expect(kurtosis(x)).toBe(m.kurtosis);
    expect(mean(x)).toBe(4);
    expect(variance(x, 0)).toBe(10);
    expect(standardDeviation(x)).toBe(Math.sqrt(12.5));
  });
  it('is shift-invariant even with a large common level (two-pass sums)', () => {
    const shifted = moments(x.map((v) => v + 1e9));
    expectDigits(shifted.variance, '12.5', 1e-6);
    expectDigits(shifted.skewness, String(36 / Math.pow(10, 1.5)), 1e-6);
    expectDigits(shifted.kurtosis, '2.788', 1e-6);
  });
  it('a normal-like symmetric sample has g3 = 0 and g4 well above the excess scale', () => {
    const m = moments([-2, -1, 0, 1, 2]);
    expect(m.skewness).toBe(0);
    expectDigits(m.kurtosis, '1.7'); // m4 = 34/5, m2 = 2 → 6.8/4
  });
  it('constant series: NaN shape moments, 0 variance', () => {
    const m = moments([3, 3, 3]);
    expect(m.variance).toBe(0);
    expect(m.skewness).toBeNaN();
    expect(m.kurtosis).toBeNaN();
  });
  it('rejects NaN, too-short samples and bad ddof', () => {
    expect(() => moments([1, NaN, 2])).toThrow(RangeError);
    expect(() => moments([1])).toThrow(RangeError);
    expect(() => mean([])).toThrow(RangeError);
    expect(() => variance([1], 1)).toThrow(RangeError);
    expect(() => variance([1, 2], -1)).toThrow(RangeError);
    expect(() => variance([1, 2], 0.5)).toThrow(RangeError);
  });
});

describe('per-bar Sharpe (mean / std ddof 1) against empyrical [V]', () => {
  it('sharpe_ratio(mixed, daily) = 1.7238613961706866', () => {
    expectDigits(annualizeSharpe(sharpeRatio(mixed), 252), '1.7238613961706866');
  });
  it('sharpe_ratio(positive_returns) = 52.915026221291804', () => {
    expectDigits(annualizeSharpe(sharpeRatio(positive), 252), '52.915026221291804');
  });
  it('annual_volatility(mixed) = 0.9136465399704637; weekly_returns = 0.38851569394870583', () => {
    expectDigits(standardDeviation(mixed) * Math.sqrt(252), '0.9136465399704637');
    expectDigits(standardDeviation(weekly) * Math.sqrt(52), '0.38851569394870583');
  });
  it('is 0 for a flat series (DESIGN §5) and rejects NaN / a single bar', () => {
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBe(0);
    expect(() => sharpeRatio([0.01])).toThrow(RangeError);
    expect(() => sharpeRatio([0.01, NaN])).toThrow(RangeError);
  });
});

describe('annualisation (stats.md §6)', () => {
  it.each<[number, string]>([
    [252, '15.8745'],
    [365, '19.1050'],
    [8760, '93.5949'],
    [105120, '324.222'],
    [1638, '40.4722'],
  ])('√(%d bars/yr) [V]', (bpy, v) => expectDigits(annualizeSharpe(1, bpy), v));
  it('per-bar SR 0.05 on 1 h crypto bars → 4.679744 [S]', () => {
    expectDigits(annualizeSharpe(0.05, 8760), '4.679744');
    expectDigits(deannualizeSharpe(4.679743582719037, 8760), '0.05');
  });
  it('DSR paper units: annual SR 2.5 and Var 0.5 over 250 days (stats.md D1)', () => {
    expectDigits(deannualizeSharpe(2.5, 250), '0.15811388300841897');
    expectDigits(deannualizeSharpeVariance(0.5, 250), '0.002');
  });
  it('rejects non-positive bars per year', () => {
    expect(() => annualizeSharpe(1, 0)).toThrow(RangeError);
    expect(() => deannualizeSharpeVariance(-1, 12)).toThrow(RangeError);
  });
});
