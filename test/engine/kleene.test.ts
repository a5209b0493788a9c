import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/spec/schema.ts';
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT } from '../../src/engine/backtest/types.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { all, any, compare, crossPairInto, F, lag, not, T, U } from '../../src/engine/strategy/kleene.ts';
import { randomWalkBars } from '../../bench/random-walk.ts';
import { SMA_CROSS } from '../../bench/sma-cross.ts';
import { mulberry32 } from '../support/mulberry32.ts';

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

describe('both crosses of one pair in one pass (crossPairInto)', () => {
  it('sets the above bit at an up-cross and the below bit at a down-cross, keeping bits already set', () => {
    //          t:  0  1  2  3  4    5  6  7
    const a = s([1, 2, 3, 1, NaN, 5, 6, 1]);
    const b = s([2, 2, 2, 2, 2, 2, 2, 2]);
    const bits = Uint8Array.from([8, 0, 0, 0, 0, 0, 8, 0]);
    crossPairInto(a, b, 1, 4, bits);
    // Up at 2 (2 ≤ 2, then 3 > 2), down at 3; 5 follows a NaN, so no cross; down again at 7.
    expect([...bits]).toEqual([8, 0, 1, 4, 0, 0, 8, 4]);
  });

  it('equals the three-valued comparisons rule by rule on random series with NaNs and ties', () => {
    const rand = mulberry32(5);
    const n = 5000;
    const draw = (): Float64Array => Float64Array.from({ length: n }, () => (rand() < 0.02 ? NaN : Math.floor(rand() * 5)));
    const a = draw();
    const b = draw();
    const bits = new Uint8Array(n);
    crossPairInto({ series: a }, { series: b }, 1, 6, bits);
    const up = compare({ series: a }, 'crosses_above', { series: b }, n);
    const down = compare({ series: a }, 'crosses_below', { series: b }, n);
    const expected = Array.from({ length: n }, (_, t) => (up[t] === T ? 1 : 0) | (down[t] === T ? 6 : 0));
    expect([...bits]).toEqual(expected);
    expect(expected.filter((x) => x === 1).length).toBeGreaterThan(100);
    expect(expected.filter((x) => x === 6).length).toBeGreaterThan(100);
  });

  it('a compiled spec whose rules cross one pair both ways, written from either side, signals as each rule alone', () => {
    const spec: Spec = {
      ...SMA_CROSS,
      rules: {
        long_entry: ['f', 'crosses_above', 's'],
        long_exit: ['f', 'crosses_below', 's'],
        // The same pair written the other way round: s crosses_above f is f crossing below s.
        short_entry: ['s', 'crosses_above', 'f'],
        short_exit: ['s', 'crosses_below', 'f'],
      },
    };
    const bars = randomWalkBars(3000, 9);
    const compiled = compile(spec);
    const strategy = compiled.strategy(bars);
    const f = { series: strategy.seriesFor('f')! };
    const sl = { series: strategy.seriesFor('s')! };
    const n = bars.time.length;
    const up = compare(f, 'crosses_above', sl, n);
    const down = compare(f, 'crosses_below', sl, n);
    const expected = Array.from({ length: n }, (_, t) => (up[t] === T ? LONG_ENTRY | SHORT_EXIT : 0) | (down[t] === T ? LONG_EXIT | SHORT_ENTRY : 0));
    expect([...compiled.signals(bars)]).toEqual(expected);
    expect(expected.filter((x) => x === (LONG_ENTRY | SHORT_EXIT)).length).toBeGreaterThan(20);
    expect(expected.filter((x) => x === (LONG_EXIT | SHORT_ENTRY)).length).toBeGreaterThan(20);
  });

  it('a reused backtest overwrites its previous signal column and gives the same numbers as a fresh one', () => {
    const compiled = compile(SMA_CROSS);
    const a = randomWalkBars(2000, 1);
    const b = randomWalkBars(2000, 2);
    const fresh = compiled.backtest(b);
    const first = compiled.backtest(a, { reuse: true });
    const second = compiled.backtest(b, { reuse: true });
    expect(second.signals).toBe(first.signals);
    expect([...second.signals]).toEqual([...fresh.signals]);
    expect(second.metrics).toEqual(fresh.metrics);
    expect([...second.result.equity]).toEqual([...fresh.result.equity]);
  });
});
