import { describe, expect, it } from 'vitest';
import { excessReturn, excessReturns } from '../../src/core/stats/index.ts';

describe('excess returns: e = r − s·μ·h (stats.md §8)', () => {
  it('the published vector: long r .02 h 5 μ .001 → .015; short r .01 h 3 μ .001 → .013', () => {
    // Long: 0.02 − 1·0.001·5 = 0.015. Short: 0.01 − (−1)·0.001·3 = 0.013 (a short earns the drift's negative).
    expect(excessReturn(0.02, 1, 0.001, 5)).toBeCloseTo(0.015, 15);
    expect(excessReturn(0.01, -1, 0.001, 3)).toBeCloseTo(0.013, 15);
    const cols = excessReturns(Float64Array.of(0.02, 0.01), Int8Array.of(1, -1), Int32Array.of(5, 3), 0.001);
    expect(cols).toBeInstanceOf(Float64Array);
    expect(cols[0]).toBeCloseTo(0.015, 15);
    expect(cols[1]).toBeCloseTo(0.013, 15);
  });

  it('one drift per trade (trades of several symbols): 0.02 − 0.01·2 = 0; zero drift leaves r', () => {
    expect([...excessReturns(Float64Array.of(0.02, 0.02), Int8Array.of(1, 1), Int32Array.of(2, 2), Float64Array.of(0, 0.01))]).toEqual([0.02, 0]);
  });

  it('no trades: an empty column', () => {
    expect(excessReturns(new Float64Array(0), new Int8Array(0), new Int32Array(0), 0.001)).toEqual(new Float64Array(0));
  });

  it('refuses columns of different lengths, naming the lengths', () => {
    expect(() => excessReturns(Float64Array.of(1), Int8Array.of(1, 1), Int32Array.of(1), 0)).toThrow('excessReturns: ret, side and bars differ in length (1, 2, 1)');
    expect(() => excessReturns(Float64Array.of(1), Int8Array.of(1), Int32Array.of(1), Float64Array.of(0, 0))).toThrow('excessReturns: 2 drifts for 1 trades');
  });
});
