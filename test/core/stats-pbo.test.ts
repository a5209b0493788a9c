// PBO via CSCV (stats.md §3): the toy vector in every variant, a seeded cross-check against
// the naive Python loop, synthetic cases with a known answer, speed, and input validation.
import { describe, expect, it } from 'vitest';
import { probabilityOfBacktestOverfitting, sharpeRatio } from '../../src/core/stats/index.ts';
import { expectAllDigits, expectDigits, mulberry32 } from './stats-helpers.ts';

// M[i][j] = ((i + 2j + i·j) mod 31) − 15, i = 0..7 bars, j = 0..4 trials (stats.md §3).
const TOY_ROWS = [
  [-15, -13, -11, -9, -7],
  [-14, -11, -8, -5, -2],
  [-13, -9, -5, -1, 3],
  [-12, -7, -2, 3, 8],
  [-11, -5, 1, 7, 13],
  [-10, -3, 4, 11, -13],
  [-9, -1, 7, 15, -8],
  [-8, 1, 10, -12, -3],
];
const columns = (rows: number[][]): Float64Array[] => rows[0]!.map((_, j) => Float64Array.from(rows, (r) => r[j]!));

/** λ under the R `pbo` package's ω = r/N, from the ranks we return (stats.md's second variant). */
const logitsOverN = (ranks: Float64Array, n: number): number[] => Array.from(ranks, (r) => Math.log(r / n / (1 - r / n)));

describe('CSCV toy vector [S]', () => {
  it('generator formula reproduces the printed rows', () => {
    const gen = Array.from({ length: 8 }, (_, i) => Array.from({ length: 5 }, (_, j) => ((i + 2 * j + i * j) % 31) - 15));
    expect(gen).toEqual(TOY_ROWS);
  });

  it('metric = mean, ω = r/(N+1): n*, ranks, logits, PBO 0.666667, P(loss) 0.833333, slope −0.7815934', () => {
    const r = probabilityOfBacktestOverfitting(columns(TOY_ROWS), { blocks: 4, metric: 'mean' });
    expect(r.combinations).toBe(6);
    expect(r.blockSize).toBe(2);
    expect(r.droppedBars).toBe(0);
    expect(Array.from(r.bestTrial)).toEqual([4, 3, 2, 3, 2, 2]);
    expect(Array.from(r.oosRank)).toEqual([2, 4, 3, 4, 3, 3]);
    expectAllDigits(r.logits, ['-0.693147', '0.693147', '0', '0.693147', '0', '0']);
    expectDigits(r.pbo, '0.666667');
    expectDigits(r.probOosLoss, '0.833333');
    expectDigits(r.degradation.slope, '-0.7815934');
  });

  it('ω = r/N (R pbo package) from the same ranks: logits [−.405465, 1.386294, …], PBO 0.166667', () => {
    const r = probabilityOfBacktestOverfitting(columns(TOY_ROWS), { blocks: 4, metric: 'mean' });
    const l = logitsOverN(r.oosRank, 5);
    expectAllDigits(l, ['-0.405465', '1.386294', '0.405465', '1.386294', '0.405465', '0.405465']);
    expectDigits(l.filter((x) => x <= 0).length / l.length, '0.166667');
  });

  it('metric = Sharpe (ddof 1): PBO 0.666667 (r/(N+1)) / 0.0 (r/N), P(loss) 0.833333, slope −0.8738612', () => {
    const r = probabilityOfBacktestOverfitting(columns(TOY_ROWS), { blocks: 4, metric: 'sharpe' });
    expectDigits(r.pbo, '0.666667');
    expectDigits(r.probOosLoss, '0.833333');
    expectDigits(r.degradation.slope, '-0.8738612');
    expect(logitsOverN(r.oosRank, 5).filter((x) => x <= 0).length / 6).toBe(0);
  });

  it('every column demeaned to the same full-sample mean → PBO 1.0 (the IS winner is the OOS loser)', () => {
    const cols = columns(TOY_ROWS).map((c) => {
      const m = c.reduce((a, b) => a + b, 0) / c.length;
      return c.map((v) => v - m);
    });
    expect(probabilityOfBacktestOverfitting(cols, { blocks: 4, metric: 'mean' }).pbo).toBe(1);
  });

  it('the flat row-major layout and a custom metric function give identical results', () => {
    const flat = Float64Array.from(TOY_ROWS.flat());
    const a = probabilityOfBacktestOverfitting({ values: flat, bars: 8, trials: 5 }, { blocks: 4, metric: 'mean' });
    const b = probabilityOfBacktestOverfitting(columns(TOY_ROWS), {
      blocks: 4,
      metric: (r) => r.reduce((s, v) => s + v, 0) / r.length,
    });
    expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
    expect(a.pbo).toBe(b.pbo);
  });
});

describe('seeded cross-check against the naive Python CSCV (test/core/stats-reference.py) [S]', () => {
  // T = 83 (3 leading rows dropped for S = 8), N = 7, trial n = 0.01·(u − 0.5) + 0.0001·n, mulberry32(2024) row-major.
  const rnd = mulberry32(2024);
  const rows = Array.from({ length: 83 }, () => Array.from({ length: 7 }, (_, n) => 0.01 * (rnd() - 0.5) + 0.0001 * n));
  it('PBO 0.6285714285714286, P(loss) 0.2857142857142857, slope −0.8472132730161607, mean λ −0.1726984881727032', () => {
    const r = probabilityOfBacktestOverfitting(columns(rows), { blocks: 8 });
    expect(r.droppedBars).toBe(3);
    expect(r.combinations).toBe(70);
    expectDigits(r.pbo, '0.6285714285714286');
    expectDigits(r.probOosLoss, '0.2857142857142857');
    expectDigits(r.degradation.slope, '-0.8472132730161607', 1e-12);
    expectDigits(r.logitSummary.mean, '-0.1726984881727032', 1e-12);
  });
  it('the O(N·S) block-sum Sharpe agrees with the path metric', () => {
    const fast = probabilityOfBacktestOverfitting(columns(rows), { blocks: 8 });
    const slow = probabilityOfBacktestOverfitting(columns(rows), { blocks: 8, metric: sharpeRatio });
    expect(Array.from(fast.bestTrial)).toEqual(Array.from(slow.bestTrial));
    expect(Array.from(fast.oosRank)).toEqual(Array.from(slow.oosRank));
    fast.isPerformance.forEach((v, i) => expect(Math.abs(v - slow.isPerformance[i]!)).toBeLessThan(1e-12));
  });
});

describe('synthetic cases with a known answer', () => {
  it('N = 10 iid noise trials: PBO averages 0.5 over 60 seeds (OOS rank of the IS winner is uniform)', () => {
    let total = 0;
    const seeds = 60;
    for (let s = 0; s < seeds; s++) {
      const rnd = mulberry32(1000 + s);
      const cols = Array.from({ length: 10 }, () => Float64Array.from({ length: 160 }, () => rnd() - 0.5));
      const r = probabilityOfBacktestOverfitting(cols, { blocks: 8 });
      expect(r.pbo).toBeGreaterThanOrEqual(0);
      expect(r.pbo).toBeLessThanOrEqual(1);
      total += r.pbo;
    }
    // Per-seed PBO has sd ≈ 0.25 here, so the mean of 60 has sd ≈ 0.03: ±0.1 is > 3 sd.
    expect(Math.abs(total / seeds - 0.5)).toBeLessThan(0.1);
  });

  it('one trial dominating in every block → PBO 0, no OOS loss, λ = ln(N) every time', () => {
    const rnd = mulberry32(7);
    const cols = Array.from({ length: 6 }, (_, n) => Float64Array.from({ length: 320 }, () => (rnd() - 0.5) * 0.01 + (n === 3 ? 0.05 : 0)));
    const r = probabilityOfBacktestOverfitting(cols);
    expect(r.combinations).toBe(12870);
    expect(r.pbo).toBe(0);
    expect(r.probOosLoss).toBe(0);
    expect(new Set(r.bestTrial)).toEqual(new Set([3]));
    expectDigits(r.logitSummary.min, String(Math.log(6)), 1e-12); // r = N → ω = N/(N+1) → λ = ln N
  });

  it('a constant trial has Sharpe 0 (DESIGN §5), not ±∞ from rounding', () => {
    const rnd = mulberry32(8);
    const cols = [Float64Array.from({ length: 64 }, () => 0.001), ...Array.from({ length: 3 }, () => Float64Array.from({ length: 64 }, () => rnd() - 0.5))];
    const r = probabilityOfBacktestOverfitting(cols, { blocks: 4 });
    r.isPerformance.forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });
});

describe('speed', () => {
  it('T = 5000, N = 200, S = 16 (12 870 splits) in well under a few seconds', () => {
    const rnd = mulberry32(42);
    const cols = Array.from({ length: 200 }, () => Float64Array.from({ length: 5000 }, () => rnd() - 0.5));
    const t0 = performance.now();
    const r = probabilityOfBacktestOverfitting(cols, { blocks: 16 });
    const ms = performance.now() - t0;
    expect(r.combinations).toBe(12870);
    expect(r.droppedBars).toBe(5000 % 16);
    expect(ms).toBeLessThan(3000);
  });
});

describe('input validation', () => {
  const ok = columns(TOY_ROWS);
  it.each<[string, () => unknown]>([
    ['odd S', () => probabilityOfBacktestOverfitting(ok, { blocks: 3 })],
    ['S = 0', () => probabilityOfBacktestOverfitting(ok, { blocks: 0 })],
    ['non-integer S', () => probabilityOfBacktestOverfitting(ok, { blocks: 2.5 })],
    ['T < S', () => probabilityOfBacktestOverfitting(ok, { blocks: 10 })],
    ['N = 1', () => probabilityOfBacktestOverfitting([ok[0]!], { blocks: 4 })],
    ['no trials', () => probabilityOfBacktestOverfitting([], { blocks: 4 })],
    ['NaN in returns', () => probabilityOfBacktestOverfitting([ok[0]!, Float64Array.from([1, 2, NaN, 4, 5, 6, 7, 8])], { blocks: 4 })],
    ['ragged columns', () => probabilityOfBacktestOverfitting([ok[0]!, new Float64Array(7)], { blocks: 4 })],
    ['flat dims mismatch', () => probabilityOfBacktestOverfitting({ values: new Float64Array(39), bars: 8, trials: 5 }, { blocks: 4 })],
    ['Sharpe on 1-bar halves', () => probabilityOfBacktestOverfitting(columns([[1, 2], [3, 5]]), { blocks: 2 })],
    ['metric returning NaN', () => probabilityOfBacktestOverfitting(ok, { blocks: 4, metric: () => NaN })],
  ])('%s → RangeError', (_, f) => expect(f).toThrow(RangeError));
});
