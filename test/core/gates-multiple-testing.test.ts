import { describe, expect, it } from 'vitest';
import { multipleTesting, multipleTestingFromSample, portfolioSample } from '../../src/core/gates/multiple-testing.ts';
import type { ReturnSample } from '../../src/core/gates/multiple-testing.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import type { OptimizationResult } from '../../src/core/research/ports.ts';
import { expectedMaxZ, normalCdf } from '../../src/core/stats/index.ts';
import { CENTI_YEAR, evenTrades, makeRun, normals } from './gates-helpers.ts';
import { expectDigits, mulberry32 } from './stats-helpers.ts';

const byName = (v: GateVerdict, name: string): Check | undefined => v.checks.find((x) => x.name === name);
const get = (v: GateVerdict, name: string): Check => {
  const c = byName(v, name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};

/** The 2012 PSR written out (stats.md §1): Φ((SR − SR*)·√(T−1) / √(1 − g3·SR + (g4−1)/4·SR²)). */
const psrByHand = (sr: number, ref: number, T: number, g3: number, g4: number): number =>
  normalCdf(((sr - ref) * Math.sqrt(T - 1)) / Math.sqrt(1 - g3 * sr + ((g4 - 1) / 4) * sr * sr));

// stats.md D1: annual SR 2.5, annual Var{SR_n} 0.5, 5 years × 250 days, g3 = −3, g4 = 10.
const D1: ReturnSample = { sharpe: 2.5 / Math.sqrt(250), skewness: -3, kurtosis: 10, bars: 1250, years: 5 };
const trialsD1 = (count: number) => ({ count, sharpeVariance: 0.5 / 250 });

describe('multiple testing: DSR, PSR, MinBTL on the stats.md vectors', () => {
  it('D1 (N = 100): DSR = 0.9003968344493904 < 0.95 fails; MinBTL at the observed annual SR 2.5 = EmaxZ(100)²/2.5² ≈ 1.02 y ≤ 5 y', () => {
    const v = multipleTestingFromSample(D1, trialsD1(100), null);
    expectDigits(get(v, 'dsr').value!, '0.9003968344493904');
    expect(get(v, 'dsr').pass).toBe(false);
    // E_target is the observed annual Sharpe: (2.5/√250)·√(1250/5) = 2.5.
    expect(get(v, 'backtest_years')).toMatchObject({ value: 5, pass: true });
    expect(get(v, 'backtest_years').threshold).toBeCloseTo(2.5306028932016846 ** 2 / 2.5 ** 2, 12); // D3² / 2.5² ≈ 1.0246
    // PSR against 0: z = 0.158114·√1249 / √(1 + 3·0.158114 + 2.25·0.025) ≈ 4.517 → ≈ 0.999997.
    expect(get(v, 'psr').value).toBeCloseTo(psrByHand(D1.sharpe, 0, 1250, -3, 10), 14);
    expect(get(v, 'psr').pass).toBe(true);
    expect(v.pass).toBe(false);
  });

  it('D2: DSR ≥ 0.95 holds up to N = 46 and not at 47', () => {
    expect(multipleTestingFromSample(D1, trialsD1(45), null).pass).toBe(true);
    expect(get(multipleTestingFromSample(D1, trialsD1(46), null), 'dsr').pass).toBe(true);
    expect(get(multipleTestingFromSample(D1, trialsD1(47), null), 'dsr').pass).toBe(false);
  });

  it('B1/B4: at an observed annual SR of 1, MinBTL(45) = 4.998 y ≤ 5 y and MinBTL(46) > 5 y', () => {
    // sharpe 1/√250 per bar over 1250 bars in 5 years is an annual SR of exactly 1 (stats.md E_target = 1).
    const unit: ReturnSample = { sharpe: 1 / Math.sqrt(250), skewness: 0, kurtosis: 3, bars: 1250, years: 5 };
    const v45 = multipleTestingFromSample(unit, trialsD1(45), null);
    expectDigits(get(v45, 'backtest_years').threshold, '4.998087004443402');
    expect(get(v45, 'backtest_years').pass).toBe(true);
    expect(get(multipleTestingFromSample(unit, trialsD1(46), null), 'backtest_years').pass).toBe(false); // five years afford at most 45 trials
  });

  it('N = 1: DSR = PSR(0) and MinBTL = 0', () => {
    const v = multipleTestingFromSample(D1, [0.123], null);
    expect(get(v, 'dsr').value).toBe(get(v, 'psr').value);
    expect(get(v, 'dsr').value).toBeCloseTo(psrByHand(D1.sharpe, 0, 1250, -3, 10), 14);
    expect(get(v, 'backtest_years').threshold).toBe(0);
    // An empty ledger counts the run itself as its one trial.
    expect(get(multipleTestingFromSample(D1, [], null), 'dsr').note).toMatch(/counted as N = 1/);
  });

  it('a list of trial Sharpes gives N = length and Var{SR_n} with ddof 1', () => {
    // Trials 0.1, 0.2, 0.3: mean 0.2, Σ(d²) = 0.02, /(3 − 1) = 0.01. SR0 = √0.01 · EmaxZ(3).
    const sample: ReturnSample = { sharpe: 0.15, skewness: 0, kurtosis: 3, bars: 1000, years: 4 };
    const v = multipleTestingFromSample(sample, [0.1, 0.2, 0.3], null);
    const sr0 = 0.1 * expectedMaxZ(3);
    expect(get(v, 'dsr').value).toBeCloseTo(psrByHand(0.15, sr0, 1000, 0, 3), 12);
    expect(get(v, 'dsr').note).toMatch(/N = 3 trials/);
  });

  it('through runs: per-bar Sharpe, g3, g4 (non-excess) and T of the pooled portfolio', () => {
    // One run of 101 bars over exactly one year; returns with a visible skew.
    const r = Array.from({ length: 100 }, (_, i) => [0.01, -0.004, 0.002, 0.03, -0.006][i % 5]!);
    const run = makeRun({ step: CENTI_YEAR, returns: r, trades: evenTrades(20, 0.01, 0, 5) });
    // The simple second implementation: population moments around the mean.
    const n = r.length;
    const m = r.reduce((a, b) => a + b, 0) / n;
    const c = (k: number) => r.reduce((a, b) => a + (b - m) ** k, 0) / n;
    const g3 = c(3) / c(2) ** 1.5;
    const g4 = c(4) / c(2) ** 2;
    const sr = m / Math.sqrt((c(2) * n) / (n - 1));
    const s = portfolioSample([run]) as ReturnSample;
    expect(s.bars).toBe(100);
    expect(s.years).toBeCloseTo(1, 12);
    expect(s.sharpe).toBeCloseTo(sr, 12);
    expect(s.skewness).toBeCloseTo(g3, 10);
    expect(s.kurtosis).toBeCloseTo(g4, 10);
    const v = multipleTesting({ runs: [run], trials: [sr] });
    expect(get(v, 'dsr').value).toBeCloseTo(psrByHand(sr, 0, 100, g3, g4), 10);
    expect(get(v, 'dsr').note).toMatch(/PBO not measured: no optimisation has run/);
    expect(byName(v, 'pbo')).toBeUndefined();
  });

  it('constant returns or no runs: every check fails unmeasured, nothing NaN', () => {
    for (const runs of [[makeRun({ returns: new Array(50).fill(0) })], []]) {
      const v = multipleTesting({ runs, trials: [0] });
      expect(v.pass).toBe(false);
      expect(v.checks.every((c) => c.value === null && !c.pass)).toBe(true);
    }
  });
});

/** A bars × trials matrix stored column-major, as OptimizationResult.returns is. */
function optimization(columns: number[][]): OptimizationResult {
  const bars = columns[0]!.length;
  const values = new Float64Array(bars * columns.length);
  columns.forEach((col, n) => values.set(col, n * bars));
  return {
    method: 'grid',
    trials: columns.map((_, n) => ({ params: { p: n }, sharpe: 0, metrics: { sharpe: 0, avg_trade_return: 0, trades: 0 } })),
    best: { p: 0 },
    returns: { bars, trials: columns.length, values },
  };
}
const strong: ReturnSample = { sharpe: 0.2, skewness: 0, kurtosis: 3, bars: 2000, years: 8 };

describe('multiple testing: PBO once an optimisation has run', () => {
  it('one trial dominating every split: PBO ≈ 0 → passes', () => {
    // Trial 0 has a per-bar mean of 0.5 σ; the 9 others are pure noise. Over halves of 160 bars its Sharpe
    // (≈ 0.5 ± 0.08) beats every noise trial (0 ± 0.08) in-sample and again out-of-sample in every split,
    // so its OOS rank is the top one, λ = ln(10/1) > 0, and no split counts as overfit.
    const rnd = mulberry32(11);
    const cols = Array.from({ length: 10 }, (_, n) => normals(rnd, 320).map((z) => z + (n === 0 ? 0.5 : 0)));
    const v = multipleTestingFromSample(strong, [0.2, 0, 0.01], optimization(cols));
    const c = get(v, 'pbo');
    expect(c.value).toBeLessThan(0.02);
    expect(c.pass).toBe(true);
    expect(c.note).toMatch(/12870 splits of S = 16 blocks, 10 trials × 320 bars/);
  });

  it('pure noise: PBO near 0.5 (no skill: the IS winner is a coin flip OOS)', () => {
    const rnd = mulberry32(5);
    const cols = Array.from({ length: 20 }, () => normals(rnd, 320));
    const c = get(multipleTestingFromSample(strong, [0.2, 0, 0.01], optimization(cols)), 'pbo');
    expect(c.value!).toBeGreaterThan(0.25);
    expect(c.value!).toBeLessThan(0.75);
    expect(c.pass).toBe(c.value! <= 0.5);
  });

  it('the trial columns are read column-major: the dominant trial in the last column is found', () => {
    const rnd = mulberry32(3);
    const cols = Array.from({ length: 6 }, (_, n) => normals(rnd, 320).map((z) => z + (n === 5 ? 0.5 : 0)));
    expect(get(multipleTestingFromSample(strong, [0.2, 0.1], optimization(cols)), 'pbo').value).toBeLessThan(0.02);
  });

  it('omitted for a single trial; fails unmeasured when there are too few bars', () => {
    const one = multipleTestingFromSample(strong, [0.2], optimization([[0.1, -0.1, 0.2, 0.0]]));
    expect(byName(one, 'pbo')).toBeUndefined();
    expect(get(one, 'dsr').note).toMatch(/PBO not measured: the optimisation tried 1/);
    const short = get(multipleTestingFromSample(strong, [0.2, 0.1], optimization([[0.1, 0.2, 0, 0.1, -0.1], [0, 0.1, 0.1, 0.2, -0.2]])), 'pbo');
    expect(short).toMatchObject({ value: null, pass: false });
    expect(short.note).toMatch(/too few for CSCV/);
  });
});
