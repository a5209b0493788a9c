import { describe, expect, it } from 'vitest';
import { all, any, compare, F, lag, not, T, U } from '../../src/engine/strategy/kleene.ts';

const s = (xs: number[]) => ({ series: Float64Array.from(xs) });

describe('three-valued rule logic', () => {
  it('comparisons are undefined where an input is NaN', () => {
    expect([...compare(s([1, NaN, 3]), '<', { constant: 2 }, 3)]).toEqual([T, U, F]);
    expect([...compare(s([2, 2, 2]), '<=', s([2, 1, NaN]), 3)]).toEqual([T, F, U]);
    expect([...compare(s([2, 2]), '>=', s([2, 3]), 2)]).toEqual([T, F]);
  });

  it('crosses_above(a,b) at t is a[t] > b[t] and a[t-1] <= b[t-1]', () => {
    //          t:  0  1  2  3  4    5  6
    const a = s([1, 2, 3, 1, NaN, 5, 6]);
    const b = s([2, 2, 2, 2, 2, 2, 2]);
    expect([...compare(a, 'crosses_above', b, 7)]).toEqual([U, F, T, F, U, U, F]);
    expect([...compare(a, 'crosses_below', b, 7)]).toEqual([U, F, F, T, U, U, F]);
  });

  it('follows Kleene truth tables', () => {
    const x = Uint8Array.from([T, T, T, F, F, F, U, U, U]);
    const y = Uint8Array.from([T, F, U, T, F, U, T, F, U]);
    expect([...all([x, y], 9)]).toEqual([T, F, U, F, F, F, U, F, U]);
    expect([...any([x, y], 9)]).toEqual([T, T, T, T, F, U, T, U, U]);
    expect([...not(x)]).toEqual([F, F, F, T, T, T, U, U, U]);
  });

  it('lag shifts later and pads with NaN', () => {
    expect([...lag(Float64Array.from([1, 2, 3, 4]), 2)]).toEqual([NaN, NaN, 1, 2]);
    expect([...lag(Float64Array.from([1, 2]), 5)]).toEqual([NaN, NaN]);
  });
});
