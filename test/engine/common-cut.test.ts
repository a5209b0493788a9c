import { describe, expect, it } from 'vitest';
import { barsBefore, commonCut, segmentRange } from '../../src/engine/research/segments.ts';

describe('the common calendar cut', () => {
  it('is the bar time at ⌊0.8·U⌋ of the U distinct times of every series', () => {
    // Series of different lengths: the union is 1…10, U = 10, index 8 → time 9.
    const a = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const b = Float64Array.from([5, 6, 7]);
    expect(commonCut([a, b])).toBe(9);
    // b's bars all lie before the cut: it has no holdout; a has 8 visible bars.
    expect(barsBefore(a, 9)).toBe(8);
    expect(barsBefore(b, 9)).toBe(3);
    expect(barsBefore(Float64Array.from([10, 11]), 9)).toBe(0);
    expect(commonCut([])).toBe(Infinity);
  });

  it('ranges: visible [0, v), holdout [v, n), full [0, n); too short a part is a clear error', () => {
    expect(segmentRange(10, 8, 'visible', 'X@1d')).toEqual({ from: 0, to: 8 });
    expect(segmentRange(10, 8, 'holdout', 'X@1d')).toEqual({ from: 8, to: 10 });
    expect(segmentRange(10, 8, 'full', 'X@1d')).toEqual({ from: 0, to: 10 });
    expect(() => segmentRange(10, 1, 'visible', 'X@1d')).toThrow('X@1d: 1 bar(s) before the market\'s holdout cut date; the symbol has too little visible history to test');
    expect(() => segmentRange(10, 9, 'holdout', 'X@1d')).toThrow('X@1d: 1 bar(s) from the market\'s holdout cut date on; the symbol has no holdout to confirm on');
  });
});
