import { describe, expect, it } from 'vitest';
import {
  MIN_EDGE_CLUSTERS, MIN_EDGE_TRADES, clusterIds, clusterKey, clusteredCovariance, clusteredMean, excessReturn, excessReturns,
  hasMinimumSample, retentionBound,
} from '../../src/core/stats/index.ts';
import { expectDigits } from './stats-helpers.ts';

describe('excess returns: e = r − s·μ·h (stats.md §8)', () => {
  it('the published vector: long r .02 h 5 μ .001 → .015; short r .01 h 3 → .013', () => {
    expect(excessReturn(0.02, 1, 0.001, 5)).toBeCloseTo(0.015, 15);
    expect(excessReturn(0.01, -1, 0.001, 3)).toBeCloseTo(0.013, 15);
    const cols = excessReturns(Float64Array.of(0.02, 0.01), Int8Array.of(1, -1), Int32Array.of(5, 3), 0.001);
    expect([...cols].map((x) => Number(x.toFixed(15)))).toEqual([0.015, 0.013]);
    // One drift per trade.
    expect([...excessReturns(Float64Array.of(0.02, 0.02), Int8Array.of(1, 1), Int32Array.of(2, 2), Float64Array.of(0, 0.01))]).toEqual([0.02, 0]);
  });

  it('refuses columns of different lengths', () => {
    expect(() => excessReturns(Float64Array.of(1), Int8Array.of(1, 1), Int32Array.of(1), 0)).toThrow(/differ in length/);
  });
});

describe('cluster keys: the calendar period of entry, UTC', () => {
  it('month at 1d and 4h, day below; the boundary is UTC midnight', () => {
    const lastJan = Date.UTC(2010, 0, 31, 23, 59, 59, 999);
    const firstFeb = Date.UTC(2010, 1, 1);
    expect(clusterKey(lastJan, '1d')).toBe('2010-01');
    expect(clusterKey(firstFeb, '1d')).toBe('2010-02');
    expect(clusterKey(lastJan, '4h')).toBe('2010-01');
    expect(clusterKey(lastJan, '1h')).toBe('2010-01-31');
    expect(clusterKey(firstFeb, '5m')).toBe('2010-02-01');
    expect(clusterIds([firstFeb, lastJan, firstFeb + 1], '1d')).toEqual({ ids: Int32Array.of(0, 1, 0), G: 2 });
  });

  it('the minimum sample is 30 trades in 12 clusters', () => {
    expect([MIN_EDGE_TRADES, MIN_EDGE_CLUSTERS]).toEqual([30, 12]);
    expect(hasMinimumSample(30, 12)).toBe(true);
    expect(hasMinimumSample(29, 12)).toBe(false);
    expect(hasMinimumSample(30, 11)).toBe(false);
  });
});

describe('CR1 clustered mean', () => {
  it('stats.md §8 vector: ē = 0.003875, SE = 0.0023230334425057, t = 1.66807757869394', () => {
    const e = [0.012, -0.004, 0.007, 0.003, -0.01, 0.015, 0.002, 0.006];
    const m = clusteredMean(e, [0, 0, 1, 1, 1, 2, 3, 3]);
    expect(m.n).toBe(8);
    expect(m.G).toBe(4);
    expect(m.mean).toBeCloseTo(0.003875, 15);
    expectDigits(m.se, '0.0023230334425057');
    expectDigits(m.t, '1.66807757869394');
  });

  it('one observation per cluster is the iid standard error s/√n', () => {
    // e = 1, 2, 3, 4: mean 2.5, s² = 5/3, s/√4 = 0.6454972243679028.
    const m = clusteredMean([1, 2, 3, 4], [0, 1, 2, 3]);
    expect(m.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 15);
  });

  it('one cluster has no between-cluster variation: SE and t are NaN; no data is NaN', () => {
    expect(clusteredMean([1, 2], [0, 0])).toMatchObject({ n: 2, G: 1, mean: 1.5 });
    expect(Number.isNaN(clusteredMean([1, 2], [0, 0]).se)).toBe(true);
    expect(Number.isNaN(clusteredMean([], []).mean)).toBe(true);
  });
});

describe('joint covariance of two subset means and the retention bound', () => {
  // Hand-worked: e = [1, 3, 2, 6] in clusters [0, 0, 1, 1]; A = the first three, B = the last two.
  // ē_A = 2, ē_B = 4. u^A: cluster 0: ((1−2) + (3−2))/3 = 0; cluster 1: (2−2)/3 = 0 → Var_A = 0.
  // u^B: cluster 0: 0 (no B member); cluster 1: ((2−4) + (6−4))/2 = 0 → Var_B = 0, Cov = 0.
  // A second case with spread: e = [1, 3, 2, 6], clusters [0, 1, 1, 2], A = {0, 1, 2}, B = {2, 3}.
  // ē_A = 2, ē_B = 4; G = 3 clusters in A ∪ B, c = 3/2.
  // u^A = [(1−2)/3, ((3−2) + (2−2))/3, 0] = [−1/3, 1/3, 0]; u^B = [0, (2−4)/2, (6−4)/2] = [0, −1, 1].
  // Var_A = 1.5·(1/9 + 1/9) = 1/3; Var_B = 1.5·(1 + 1) = 3; Cov = 1.5·(1/3·(−1)) = −1/2.
  it('the hand-worked cases', () => {
    expect(clusteredCovariance([1, 3, 2, 6], [0, 0, 1, 1], [1, 1, 1, 0], [0, 0, 1, 1])).toMatchObject({ meanA: 2, meanB: 4, varA: 0, varB: 0, cov: 0, nA: 3, nB: 2, GA: 2, GB: 1 });
    const p = clusteredCovariance([1, 3, 2, 6], [0, 1, 1, 2], [1, 1, 1, 0], [0, 0, 1, 1]);
    expect(p.meanA).toBe(2);
    expect(p.meanB).toBe(4);
    expect(p.varA).toBeCloseTo(1 / 3, 15);
    expect(p.varB).toBeCloseTo(3, 15);
    expect(p.cov).toBeCloseTo(-0.5, 15);
    // R = 4/2 = 2. Var(R) = Var_B/ē_A² + ē_B²·Var_A/ē_A⁴ − 2·ē_B·Cov/ē_A³ = 3/4 + 16·(1/3)/16 − 2·4·(−1/2)/8 = 0.75 + 1/3 + 0.5
    // = 19/12; upper = 2 + 1.6448536269514722·√(19/12).
    const b = retentionBound(p);
    expect(b.ratio).toBe(2);
    expect(b.se).toBeCloseTo(Math.sqrt(19 / 12), 14);
    expect(b.upper).toBeCloseTo(2 + 1.6448536269514722 * Math.sqrt(19 / 12), 14);
  });

  it('no positive reference mean: no retention to bound', () => {
    expect(() => retentionBound({ meanA: 0, meanB: 1, varA: 1, varB: 1, cov: 0 })).toThrow(/reference mean must be > 0/);
  });
});
