import { describe, expect, it } from 'vitest';
import { multipleTesting, multipleTestingFromSample, portfolioSample } from '../../src/core/gates/multiple-testing.ts';
import type { ReturnSample } from '../../src/core/gates/multiple-testing.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import type { OptimizationResult } from '../../src/core/research/ports.ts';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
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

describe('multiple testing: DSR on the stats.md vectors, three verdicts', () => {
  it('D1 (N = 100): DSR = 0.9003968344493904, between 0.5 and 0.95: INSUFFICIENT; PSR and MinBTL are reported in the note', () => {
    const v = multipleTestingFromSample(D1, trialsD1(100), null);
    expectDigits(get(v, 'dsr').value!, '0.9003968344493904');
    expect(get(v, 'dsr').verdict).toBe('INSUFFICIENT');
    // MinBTL at the observed annual SR 2.5: EmaxZ(100)² / 2.5² = 1.0246 years (stats.md D3).
    expect(get(v, 'dsr').note).toContain(`MinBTL ${Number((2.5306028932016846 ** 2 / 2.5 ** 2).toPrecision(4))} years`);
    expect(get(v, 'dsr').note).toContain(`PSR(0) ${Number(psrByHand(D1.sharpe, 0, 1250, -3, 10).toPrecision(4))}`);
    expect(v.verdict).toBe('INSUFFICIENT');
  });

  it('D2: DSR ≥ 0.95 holds up to N = 46 (PASS) and not at 47 (INSUFFICIENT)', () => {
    expect(multipleTestingFromSample(D1, trialsD1(46), null).verdict).toBe('PASS');
    expect(get(multipleTestingFromSample(D1, trialsD1(47), null), 'dsr').verdict).toBe('INSUFFICIENT');
  });

  it('FAIL when the Sharpe is significantly below the best of N zero-skill trials: DSR ≤ 0.05', () => {
    // N = 100, Var = 0.5/250 → SR0 = 0.11317200186513214 per bar (stats.md D1). A Sharpe of 0 is 4 standard
    // errors below it: z = −0.113172·√1249 / √(1 + 0 + 2.25·0) = −3.9997, DSR = Φ(z) ≈ 3.2e-5.
    const zero = multipleTestingFromSample({ ...D1, sharpe: 0 }, trialsD1(100), null);
    expect(get(zero, 'dsr').value!).toBeCloseTo(normalCdf(-0.11317200186513214 * Math.sqrt(1249)), 10);
    expect(get(zero, 'dsr').verdict).toBe('FAIL');
    expect(zero.verdict).toBe('FAIL');
    // A Sharpe of 0.1, just below SR0 (DSR ≈ 0.34): not evidence either way yet.
    const near = multipleTestingFromSample({ ...D1, sharpe: 0.1 }, trialsD1(100), null);
    expect(get(near, 'dsr').value!).toBeLessThan(0.5);
    expect(get(near, 'dsr').verdict).toBe('INSUFFICIENT');
    // The boundary: a threshold at the measured DSR is FAIL (≤), just below it is not.
    const dsr = get(near, 'dsr').value!;
    const at = multipleTestingFromSample({ ...D1, sharpe: 0.1 }, trialsD1(100), null, { ...DEFAULT_GATE_CONFIG.multipleTesting, failDsr: dsr });
    expect(at.verdict).toBe('FAIL');
    const below = multipleTestingFromSample({ ...D1, sharpe: 0.1 }, trialsD1(100), null, { ...DEFAULT_GATE_CONFIG.multipleTesting, failDsr: dsr * (1 - Number.EPSILON) });
    expect(below.verdict).toBe('INSUFFICIENT');
  });

  it('below the minimum sample DSR is reported, never judged', () => {
    const v = multipleTestingFromSample({ ...D1, sharpe: 0 }, trialsD1(100), null, DEFAULT_GATE_CONFIG.multipleTesting, 'judged from 30 trades in ≥ 12 calendar clusters; have 5 in 3');
    expect(get(v, 'dsr').verdict).toBe('INSUFFICIENT');
    expect(get(v, 'dsr').note).toMatch(/have 5 in 3$/);
  });

  it('the store N and the family N are reported side by side; the store N deflates', () => {
    const counts = { storeN: 100, familyN: 12, variance: 0.5 / 250, how: 'test' };
    const v = multipleTestingFromSample(D1, counts, null);
    expectDigits(get(v, 'dsr').value!, '0.9003968344493904'); // N = 100, as D1
    expect(get(v, 'dsr').note).toMatch(/^store N = 100, family N = 12 \(test\)/);
  });

  it('N = 1: DSR = PSR(0)', () => {
    const v = multipleTestingFromSample(D1, [0.123], null);
    expect(get(v, 'dsr').value).toBeCloseTo(psrByHand(D1.sharpe, 0, 1250, -3, 10), 14);
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

  it('through runs: the HEDGED portfolio\'s per-bar Sharpe, g3, g4 (non-excess) and T', () => {
    // One run of 101 bars over exactly one year, long on every bar; the market moves by m each bar, so
    // the hedged return is r − m.
    const r = Array.from({ length: 100 }, (_, i) => [0.01, -0.004, 0.002, 0.03, -0.006][i % 5]!);
    const m = Array.from({ length: 100 }, (_, i) => [0.002, 0.001, -0.003, 0.004, 0][i % 5]!);
    const run = makeRun({ step: CENTI_YEAR, returns: r, market: [0, ...m], trades: evenTrades(50, 0.01, 0, 2) });
    const h = r.map((x, i) => x - m[i]!);
    // The simple second implementation: population moments around the mean.
    const n = h.length;
    const mean = h.reduce((a, b) => a + b, 0) / n;
    const c = (k: number) => h.reduce((a, b) => a + (b - mean) ** k, 0) / n;
    const g3 = c(3) / c(2) ** 1.5;
    const g4 = c(4) / c(2) ** 2;
    const sr = mean / Math.sqrt((c(2) * n) / (n - 1));
    const s = portfolioSample([run], { hedged: true }) as ReturnSample;
    expect(s.bars).toBe(100);
    expect(s.sharpe).toBeCloseTo(sr, 12);
    expect(s.skewness).toBeCloseTo(g3, 10);
    expect(s.kurtosis).toBeCloseTo(g4, 10);
    const v = multipleTesting({ runs: [run], trials: [sr] });
    expect(get(v, 'dsr').value).toBeCloseTo(psrByHand(sr, 0, 100, g3, g4), 10);
    expect(get(v, 'dsr').note).toMatch(/PBO not measured: no optimisation has run/);
    expect(byName(v, 'pbo')).toBeUndefined();
  });

  it('constant returns or no runs: INSUFFICIENT unmeasured, nothing NaN', () => {
    for (const runs of [[makeRun({ returns: new Array(50).fill(0) })], []]) {
      const v = multipleTesting({ runs, trials: [0] });
      expect(v.verdict).toBe('INSUFFICIENT');
      expect(v.checks.every((c) => c.value === null && c.verdict === 'INSUFFICIENT')).toBe(true);
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
    expect(short).toMatchObject({ value: null, verdict: 'INSUFFICIENT' });
    expect(short.note).toMatch(/too few for CSCV/);
  });
});
