import { describe, expect, it } from 'vitest';
import {
  MIN_EDGE_CLUSTERS, MIN_EDGE_TRADES, clusterIds, clusterKey, clusteredCovariance, clusteredMean, hasMinimumSample,
} from '../../src/core/stats/index.ts';
import { expectDigits } from './stats-helpers.ts';

describe('cluster keys: the calendar period of entry, in UTC', () => {
  const lastJan = Date.UTC(2010, 0, 31, 23, 59, 59, 999);
  const firstFeb = Date.UTC(2010, 1, 1);

  it('month at 1d and 4h (and longer bars), the boundary being UTC midnight of the 1st', () => {
    expect(clusterKey(lastJan, '1d')).toBe('2010-01');
    expect(clusterKey(firstFeb, '1d')).toBe('2010-02');
    expect(clusterKey(lastJan, '4h')).toBe('2010-01');
    expect(clusterKey(firstFeb, '4h')).toBe('2010-02');
    expect(clusterKey(lastJan, '12h')).toBe('2010-01');
    expect(clusterKey(lastJan, '1w')).toBe('2010-01');
    expect(clusterKey(Date.UTC(2010, 11, 31, 23, 59), '1d')).toBe('2010-12');
    expect(clusterKey(Date.UTC(2011, 0, 1), '1d')).toBe('2011-01');
    // 29 Feb of a leap year stays in February.
    expect(clusterKey(Date.UTC(2012, 1, 29, 20), '1d')).toBe('2012-02');
  });

  it('day below 4h: 1m, 5m, 15m, 1h, 2h', () => {
    expect(clusterKey(lastJan, '1h')).toBe('2010-01-31');
    expect(clusterKey(lastJan, '2h')).toBe('2010-01-31');
    expect(clusterKey(firstFeb, '5m')).toBe('2010-02-01');
    expect(clusterKey(firstFeb - 1, '1m')).toBe('2010-01-31');
    expect(clusterKey(Date.UTC(2010, 5, 15, 0, 0), '15m')).toBe('2010-06-15');
    expect(clusterKey(Date.UTC(2010, 5, 15, 23, 45), '15m')).toBe('2010-06-15');
    expect(clusterKey(Date.UTC(2010, 5, 16, 0, 0), '15m')).toBe('2010-06-16');
  });

  it('an interval it cannot read, or a time that is not one, is refused', () => {
    expect(() => clusterKey(firstFeb, 'daily')).toThrow('clusterKey: interval must look like 5m, 1h, 4h or 1d, got "daily"');
    expect(() => clusterKey(firstFeb, '0d')).toThrow(/got "0d"/);
    expect(() => clusterKey(NaN, '1d')).toThrow('clusterKey: entryTimeMs must be a finite number, got NaN');
  });

  it('dense ids in order of first appearance, and G', () => {
    expect(clusterIds([firstFeb, lastJan, firstFeb + 1], '1d')).toEqual({ ids: Int32Array.of(0, 1, 0), G: 2 });
    expect(clusterIds([firstFeb, lastJan, firstFeb + 1], '1h')).toEqual({ ids: Int32Array.of(0, 1, 0), G: 2 });
    expect(clusterIds([lastJan - 86_400_000, lastJan], '1h')).toEqual({ ids: Int32Array.of(0, 1), G: 2 });
    expect(clusterIds([lastJan - 86_400_000, lastJan], '1d')).toEqual({ ids: Int32Array.of(0, 0), G: 1 });
    expect(clusterIds([], '1d')).toEqual({ ids: new Int32Array(0), G: 0 });
  });
});

describe('the minimum sample', () => {
  it('is 30 trades in at least 12 clusters, both needed', () => {
    expect([MIN_EDGE_TRADES, MIN_EDGE_CLUSTERS]).toEqual([30, 12]);
    expect(hasMinimumSample(30, 12)).toBe(true);
    expect(hasMinimumSample(500, 40)).toBe(true);
    expect(hasMinimumSample(29, 12)).toBe(false);
    expect(hasMinimumSample(30, 11)).toBe(false);
    expect(hasMinimumSample(0, 0)).toBe(false);
  });
});

describe('CR1 clustered mean: SE² = G/(G−1)·Σ_g(Σ_{i∈g}(e_i − ē))²/n²', () => {
  it('stats.md §8 vector: ē = 0.003875, G = 4, SE = 0.0023230334425057, t = 1.66807757869394', () => {
    const e = [0.012, -0.004, 0.007, 0.003, -0.01, 0.015, 0.002, 0.006];
    // Clusters 2010-01, 2010-01, 2010-02 ×3, 2010-03, 2010-04 ×2, built from entry times.
    const times = [[0, 4], [0, 20], [1, 2], [1, 9], [1, 27], [2, 15], [3, 1], [3, 30]].map(([m, d]) => Date.UTC(2010, m!, d!, 14, 30));
    const { ids, G } = clusterIds(times, '1d');
    expect(G).toBe(4);
    const m = clusteredMean(e, ids);
    expect(m.n).toBe(8);
    expect(m.G).toBe(4);
    expect(m.mean).toBeCloseTo(0.003875, 15);
    expectDigits(m.se, '0.0023230334425057');
    expectDigits(m.t, '1.66807757869394');
  });

  it('hand case with sparse ids: e = [1, 3, 8] in clusters [5, 5, 9] → SE 8/3, t 1.5', () => {
    // ē = 4; cluster sums of deviations: 5: (−3) + (−1) = −4, 9: 4. SE² = 2/1·(16 + 16)/9 = 64/9.
    const m = clusteredMean([1, 3, 8], Int32Array.of(5, 5, 9));
    expect(m).toMatchObject({ n: 3, G: 2, mean: 4 });
    expect(m.se).toBeCloseTo(8 / 3, 15);
    expect(m.t).toBeCloseTo(1.5, 14);
  });

  it('one observation per cluster is the iid standard error s/√n', () => {
    // e = 1, 2, 3, 4: ē 2.5, Σ(e − ē)² = 5; SE² = 4/3·5/16 = 5/12 = s²/n with s² = 5/3.
    const m = clusteredMean([1, 2, 3, 4], [0, 1, 2, 3]);
    expect(m.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 15);
  });

  it('G = 1 has no between-cluster variation: SE and t NaN, the mean still measured', () => {
    const m = clusteredMean([1, 2], [0, 0]);
    expect(m).toMatchObject({ n: 2, G: 1, mean: 1.5 });
    expect(Number.isNaN(m.se)).toBe(true);
    expect(Number.isNaN(m.t)).toBe(true);
  });

  it('n = 0: mean, SE and t NaN, G 0', () => {
    const m = clusteredMean([], []);
    expect(m.n).toBe(0);
    expect(m.G).toBe(0);
    expect([m.mean, m.se, m.t].every(Number.isNaN)).toBe(true);
  });

  it('refuses bad input with a message naming it', () => {
    expect(() => clusteredMean([1, 2], [0])).toThrow('clusteredMean: 2 values but 1 cluster ids');
    expect(() => clusteredMean([1, NaN], [0, 1])).toThrow('clusteredMean: e[1] must be finite, got NaN');
    expect(() => clusteredMean([1, 2], [0, -1])).toThrow('clusteredMean: cluster id [1] must be an integer >= 0, got -1');
    expect(() => clusteredMean([1, 2], [0, 0.5])).toThrow(/cluster id \[1\] must be an integer/);
  });
});

describe('joint covariance of two subset means (G = clusters in A ∪ B)', () => {
  it('A ⊂ B: the full sample as A reproduces clusteredMean; window worked by hand', () => {
    // e = [1, 3, 2, 6, 7], clusters [0, 0, 1, 1, 2]; A = all, B = last three (see stats-retention.test.ts
    // for the hand working): Var_A = 1.4016, Var_B = 4/3, Cov = 0.56, GA = 3, GB = 2.
    const e = [1, 3, 2, 6, 7];
    const ids = [0, 0, 1, 1, 2];
    const p = clusteredCovariance(e, ids, [true, true, true, true, true], [false, false, true, true, true]);
    expect(p).toMatchObject({ nA: 5, nB: 3, GA: 3, GB: 2 });
    expect(p.varA).toBeCloseTo(1.4016, 14);
    expect(p.varB).toBeCloseTo(4 / 3, 14);
    expect(p.cov).toBeCloseTo(0.56, 14);
    expect(p.varA).toBeCloseTo(clusteredMean(e, ids).se ** 2, 14);
  });

  it('zero within-cluster spread: e = [1, 3, 2, 6] in [0, 0, 1, 1], A = first three, B = last two', () => {
    // ē_A = 2: u^A = [(−1 + 1)/3, 0/3] = [0, 0]. ē_B = 4: u^B = [0, (−2 + 2)/2] = [0, 0]. All zero.
    expect(clusteredCovariance([1, 3, 2, 6], [0, 0, 1, 1], [1, 1, 1, 0], [0, 0, 1, 1])).toEqual({
      meanA: 2, meanB: 4, varA: 0, varB: 0, cov: 0, nA: 3, nB: 2, GA: 2, GB: 1,
    });
  });

  it('the G/(G−1) factor counts the clusters of A ∪ B, not of A alone', () => {
    // e = [1, 3, 5, 9], clusters [0, 1, 2, 2]; A = first two (GA = 2), B = last two (GB = 1); G = 3, c = 3/2.
    // ē_A = 2, u^A = [−1/2, 1/2, 0] → Var_A = 1.5·0.5 = 0.75 (clusteredMean on A alone: 2·0.5 = 1).
    // ē_B = 7, u^B = [0, 0, (−2 + 2)/2 = 0] → Var_B = 0, Cov = 0.
    const p = clusteredCovariance([1, 3, 5, 9], [0, 1, 2, 2], [1, 1, 0, 0], [0, 0, 1, 1]);
    expect(p.varA).toBeCloseTo(0.75, 15);
    expect(clusteredMean([1, 3], [0, 1]).se ** 2).toBeCloseTo(1, 15);
    expect([p.varB, p.cov, p.GA, p.GB]).toEqual([0, 0, 2, 1]);
  });

  it('boundaries: one cluster in A ∪ B → NaN (co)variances; an empty subset → its mean, variance and the covariance NaN', () => {
    const one = clusteredCovariance([1, 2, 3], [4, 4, 4], [1, 1, 0], [0, 1, 1]);
    expect(one).toMatchObject({ meanA: 1.5, meanB: 2.5, nA: 2, nB: 2, GA: 1, GB: 1 });
    expect([one.varA, one.varB, one.cov].every(Number.isNaN)).toBe(true);
    const empty = clusteredCovariance([1, 2, 4], [0, 1, 2], [1, 1, 1], [0, 0, 0]);
    expect(empty).toMatchObject({ meanA: 7 / 3, nA: 3, nB: 0, GA: 3, GB: 0 });
    expect(empty.varA).toBeGreaterThan(0);
    expect([empty.meanB, empty.varB, empty.cov].every(Number.isNaN)).toBe(true);
  });

  it('refuses masks of another length, naming the lengths', () => {
    expect(() => clusteredCovariance([1, 2], [0, 1], [1], [1, 1])).toThrow('clusteredCovariance: values, ids and masks differ in length (2, 2, 1, 2)');
  });
});
