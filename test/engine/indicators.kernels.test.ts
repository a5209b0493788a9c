/**
 * Kernels on tiny hand-computed inputs, against a plain ADX reference, and where we deliberately
 * part from technicalindicators (each case shows the oracle's output next to the definition's).
 */
import { ADX, BollingerBands, EMA, Highest, Lowest, MFI, ROC } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import {
  adx, atr, bbands, cci, ema, highest, keltner, lowest, macd, mfi, obv, rma, roc, rsi, sma, stoch, trueRange, williamsr, wma,
} from '../../src/engine/indicators/index.ts';
import { expectBitIdentical, expectClose, padHead, randomBars, sp500 } from './indicators.fixtures.ts';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);
const N = NaN;

describe('hand-computed values', () => {
  it('sma([1..9], 5) = [NaN×4, 3, 4, 5, 6, 7]', () => {
    expectBitIdentical(sma(f([1, 2, 3, 4, 5, 6, 7, 8, 9]), 5), f([N, N, N, N, 3, 4, 5, 6, 7]));
  });

  it('ema seeds with the SMA of the first period values, then α = 2/(p+1)', () => {
    // seed (1+2+3)/3 = 2; then (4 − 2)·0.5 + 2 = 3; (5 − 3)·0.5 + 3 = 4
    expectBitIdentical(ema(f([1, 2, 3, 4, 5]), 3), f([N, N, 2, 3, 4]));
  });

  it("rma is Wilder's average: α = 1/p", () => {
    // seed (2+4)/2 = 3; then (7 − 3)/2 + 3 = 5
    expectBitIdentical(rma(f([2, 4, 7]), 2), f([N, 3, 5]));
  });

  it('wma weights the newest bar most', () => {
    // (1·1 + 2·2 + 3·3)/6 and (1·2 + 2·3 + 3·4)/6
    expectClose(wma(f([1, 2, 3, 4]), 3), f([N, N, 14 / 6, 20 / 6]), 1e-15);
  });

  it("rsi uses Wilder's averages of gains and losses", () => {
    // changes +1 +1 −1 +1, p = 2: avg (1, 0) → 100; (0.5, 0.5) → 50; (0.75, 0.25) → RS 3 → 75
    expectBitIdentical(rsi(f([1, 2, 3, 2, 3]), 2), f([N, N, 100, 50, 75]));
    // a flat series has no loss: 100 by convention
    expectBitIdentical(rsi(f([5, 5, 5]), 2), f([N, N, 100]));
  });

  it('roc is in percent of the value period bars back', () => {
    expectClose(roc(f([10, 11, 12.1, 6.05]), 1), f([N, 10, 10, -50]), 1e-12);
  });

  it('highest/lowest include the current bar, also for zeros and negatives', () => {
    const x = f([1, 3, 2, 5, 4, 0, -1, -3, -2]);
    expectBitIdentical(highest(x, 3), f([N, N, 3, 5, 5, 5, 4, 0, -1]));
    expectBitIdentical(lowest(x, 3), f([N, N, 1, 2, 2, 0, -1, -3, -3]));
    expectBitIdentical(highest(x, 1), x);
  });

  it('bbands use the population standard deviation', () => {
    // mean 3, variance (4+1+0+1+4)/5 = 2
    const b = bbands(f([1, 2, 3, 4, 5]), 5, 2);
    expectBitIdentical(b.middle, f([N, N, N, N, 3]));
    expectClose(b.upper, f([N, N, N, N, 3 + 2 * Math.SQRT2]), 1e-15);
    expectClose(b.lower, f([N, N, N, N, 3 - 2 * Math.SQRT2]), 1e-15);
  });

  it('macd = EMA(fast) − EMA(slow), signal = EMA of the line', () => {
    // EMA1 = x; EMA2 = [_, 1.5, (4 − 1.5)·2/3 + 1.5]; line = [_, 0.5, 4 − 19/6]; signal(1) = line
    const m = macd(f([1, 2, 4]), 1, 2, 1);
    expectClose(m.macd, f([N, 0.5, 4 - 19 / 6]), 1e-14);
    expectBitIdentical(m.signal, m.macd);
    expectBitIdentical(m.histogram, f([N, 0, 0]));
  });

  // Three bars: TR1 = max(2, |11 − 9|, |9 − 9|) = 2, TR2 = max(2, |12 − 8.5|, |10 − 8.5|) = 3.5.
  const high = f([10, 11, 12]);
  const low = f([8, 9, 10]);
  const close = f([9, 8.5, 10]);

  it('true range has no value on bar 0 and uses the previous close after it', () => {
    expectBitIdentical(trueRange(high, low, close), f([N, 2, 3.5]));
  });

  it('atr seeds with the mean of the first period true ranges (bars 1..p)', () => {
    expectBitIdentical(atr(high, low, close, 2), f([N, N, 2.75]));
  });

  it('keltner = EMA(close) ± multiplier · ATR; the middle line starts a bar earlier', () => {
    // EMA2: 8.75, then (10 − 8.75)·2/3 + 8.75 = 9.5833…; ATR2 at bar 2 = 2.75
    const k = keltner(close, high, low, close, 2, 1);
    expectClose(k.middle, f([N, 8.75, 8.75 + 1.25 * (2 / 3)]), 1e-15);
    expectClose(k.upper, f([N, N, 8.75 + 1.25 * (2 / 3) + 2.75]), 1e-15);
    expectClose(k.lower, f([N, N, 8.75 + 1.25 * (2 / 3) - 2.75]), 1e-15);
  });

  it('stoch %K is raw, %D its SMA; williams %R is its mirror in [−100, 0]', () => {
    const h = f([3, 4, 5, 6]);
    const l = f([1, 2, 3, 2]);
    const c = f([2, 3, 4, 5]);
    // bar 2: (4 − 1)/(5 − 1) = 75 %; bar 3: (5 − 2)/(6 − 2) = 75 %
    const s = stoch(h, l, c, 3, 2);
    expectBitIdentical(s.k, f([N, N, 75, 75]));
    expectBitIdentical(s.d, f([N, N, N, 75]));
    expectBitIdentical(williamsr(h, l, c, 3), f([N, N, -25, -25]));
    // a flat window has no range: %K 0 (as technicalindicators), %R 0/0 = NaN
    const flat = f([7, 7, 7]);
    expectBitIdentical(stoch(flat, flat, flat, 2, 1).k, f([N, 0, 0]));
    expectBitIdentical(williamsr(flat, flat, flat, 2), f([N, N, N]));
  });

  it('cci divides by 0.015 times the mean absolute deviation', () => {
    // tp = close here. Window [1,2,3]: mean 2, deviation 2/3 → 1/(0.015·2/3) = 100.
    // Window [2,3,6]: mean 11/3, deviation 14/9 → (7/3)/(0.015·14/9) = 100.
    const c = f([1, 2, 3, 6]);
    expectClose(cci(c, c, c, 3), f([N, N, 100, 100]), 1e-12);
  });

  it('obv starts at bar 1 and adds or subtracts the volume by the close direction', () => {
    expectBitIdentical(obv(f([1, 2, 1, 1, 3]), f([10, 20, 30, 40, 50])), f([N, 20, -10, -10, 40]));
  });

  it('mfi starts at bar p+1 and counts an unchanged typical price as negative flow (both as technicalindicators)', () => {
    const c = f([9, 10, 11, 10.5]);
    // flows: bar 2 up 11·1, bar 3 down 10.5·4 → 100 · 11/(11 + 42)
    expectClose(mfi(c, c, c, f([1, 1, 1, 4]), 2), f([N, N, N, (100 * 11) / 53]), 1e-14);
    expect(MFI.calculate({ high: [...c], low: [...c], close: [...c], volume: [1, 1, 1, 4], period: 2 })).toEqual([20.75]);
    const tie = f([9, 10, 10, 11]);
    // bar 2 unchanged → negative 10; bar 3 up 11 → 100 · 11/21 (the textbook, ignoring the tie, would say 100)
    expectClose(mfi(tie, tie, tie, f([1, 1, 1, 1]), 2), f([N, N, N, (100 * 11) / 21]), 1e-14);
    expect(MFI.calculate({ high: [...tie], low: [...tie], close: [...tie], volume: [1, 1, 1, 1], period: 2 })).toEqual([52.38]);
  });
});

/** Deliberately plain ADX: arrays of TR and ±DM, Wilder's running sums, DX, and ADX as Wilder's average of DX. */
function referenceAdx(h: Float64Array, l: Float64Array, c: Float64Array, p: number): { adx: Float64Array; pdi: Float64Array; mdi: Float64Array } {
  const n = c.length;
  const tr = [0];
  const plus = [0];
  const minus = [0];
  for (let t = 1; t < n; t++) {
    tr.push(Math.max(h[t]! - l[t]!, Math.abs(h[t]! - c[t - 1]!), Math.abs(l[t]! - c[t - 1]!)));
    const up = h[t]! - h[t - 1]!;
    const down = l[t - 1]! - l[t]!;
    plus.push(up > down && up > 0 ? up : 0);
    minus.push(down > up && down > 0 ? down : 0);
  }
  const out = { adx: new Float64Array(n).fill(NaN), pdi: new Float64Array(n).fill(NaN), mdi: new Float64Array(n).fill(NaN) };
  const sum = (xs: number[]): number => xs.reduce((s, v) => s + v, 0);
  let sTr = sum(tr.slice(1, p + 1));
  let sPlus = sum(plus.slice(1, p + 1));
  let sMinus = sum(minus.slice(1, p + 1));
  const dx: number[] = [];
  for (let t = p; t < n; t++) {
    if (t > p) {
      sTr += tr[t]! - sTr / p;
      sPlus += plus[t]! - sPlus / p;
      sMinus += minus[t]! - sMinus / p;
    }
    out.pdi[t] = (100 * sPlus) / sTr;
    out.mdi[t] = (100 * sMinus) / sTr;
    dx.push((100 * Math.abs(sPlus - sMinus)) / (sPlus + sMinus));
    if (dx.length === p) out.adx[t] = sum(dx) / p;
    else if (dx.length > p) out.adx[t] = (out.adx[t - 1]! * (p - 1) + dx[dx.length - 1]!) / p;
  }
  return out;
}

describe('adx against a plain reference (including ±DI before ADX exists)', () => {
  it.each([[2], [7], [14], [30]])('period %i', (p) => {
    for (const b of [sp500(1500), randomBars(1500, 9)]) {
      const ours = adx(b.high, b.low, b.close, p);
      const ref = referenceAdx(b.high, b.low, b.close, p);
      expectClose(ours.adx, ref.adx, 1e-9);
      expectClose(ours.pdi, ref.pdi, 1e-9);
      expectClose(ours.mdi, ref.mdi, 1e-9);
    }
  });
});

/**
 * Where technicalindicators is wrong by its own definition, we follow the definition (DESIGN §3
 * names these indicators; the oracle's behaviour below is an artefact of its implementation, not
 * a convention anyone relies on). Each case pins the oracle's output so a fixed oracle shows up.
 */
describe('deliberate deviations from technicalindicators', () => {
  it('highest/lowest: its running max starts at 0 and its re-scan stops at a 0 value', () => {
    const x = [5, 0, 1, 2, -4, -3, -5, -6];
    // When 5 leaves the window the re-scan starts at the 0, which is falsy, so it keeps 5, and a
    // stale max stays until a value ≥ it arrives. True maxima: 5 2 2 2 −3 −3.
    expect(Highest.calculate({ values: x, period: 3 })).toEqual([5, 5, 5, 5, 5, 5]);
    expectBitIdentical(highest(f(x), 3), f([N, N, 5, 2, 2, 2, -3, -3]));
    expect(Highest.calculate({ values: [-5, -3, -4, -6], period: 2 })).toEqual([0, 0, 0]);
    expectBitIdentical(highest(f([-5, -3, -4, -6]), 2), f([N, -3, -3, -4]));
    expectBitIdentical(lowest(f(x), 3), f([N, N, 0, 0, -4, -4, -5, -6]));
    expect(Lowest.calculate({ values: x, period: 3 })).toEqual([0, 0, -4, -4, -5, -6]); // agrees here
  });

  it('bbands: its SD stops summing at the first 0 in the window (e.g. a zero-volume bar)', () => {
    const volume = [1, 0, 5, 2, 4];
    const theirs = BollingerBands.calculate({ values: volume, period: 3, stdDev: 1 }).map((r) => r.upper - r.middle);
    // window [1,0,5]: mean 2, true σ = √(14/3); the oracle sums (1 − 2)² only
    expect(theirs[0]).toBeCloseTo(Math.sqrt(1 / 3), 12);
    const b = bbands(f(volume), 3, 1);
    expectClose(b.upper, f([N, N, 2 + Math.sqrt(14 / 3), 7 / 3 + Math.sqrt(((7 / 3) ** 2 + (8 / 3) ** 2 + (1 / 3) ** 2) / 3), 11 / 3 + Math.sqrt(((4 / 3) ** 2 + (5 / 3) ** 2 + (1 / 3) ** 2) / 3)]), 1e-14);
  });

  it('ema: an SMA seed of exactly 0 is taken as "no seed yet"', () => {
    // seed (−1 + 1)/2 = 0 at bar 1; the oracle emits (1 − 0)·2/3 + 0 there instead, and continues from it
    expect(EMA.calculate({ values: [-1, 1, 2], period: 2 })).toEqual([2 / 3, 2 / 3 + (2 - 2 / 3) * (2 / 3)]);
    expectBitIdentical(ema(f([-1, 1, 2]), 2), f([N, 0, (2 - 0) * (2 / 3)]));
  });

  it('roc: a 0/0 result is dropped from its output, shifting every later value a bar to the left', () => {
    const volume = [0, 0, 1, 2];
    expect(ROC.calculate({ values: volume, period: 1 })).toEqual([Infinity, 100]); // 3 values expected
    expectBitIdentical(roc(f(volume), 1), f([N, N, Infinity, 100]));
  });

  it('adx: one DX of 0/0 (no directional movement for a whole period) ends its ADX; ours warms up again', () => {
    // Bars 0–4 trend, bars 5–6 are inside bars with no directional movement, then the trend resumes.
    const h = f([10, 11, 12, 13, 14, 13.5, 13.2, 15, 16, 17, 18, 19, 20]);
    const l = f([9, 10, 11, 12, 13, 13.1, 13.1, 14, 15, 16, 17, 18, 19]);
    const c = f([9.5, 10.5, 11.5, 12.5, 13.5, 13.3, 13.15, 14.5, 15.5, 16.5, 17.5, 18.5, 19.5]);
    const theirs = padHead(ADX.calculate({ high: Array.from(h), low: Array.from(l), close: Array.from(c), period: 1 }).map((r) => r.adx), 13);
    expect(Array.from(theirs.subarray(6))).toEqual([N, N, N, N, N, N, N]);
    const ours = adx(h, l, c, 1);
    // period 1: ADX = DX; bars 5 and 6 have +DM = −DM = 0, so DX = 0/0 there only
    expect(Array.from(ours.adx)).toEqual([N, 100, 100, 100, 100, N, N, 100, 100, 100, 100, 100, 100]);
  });
});
