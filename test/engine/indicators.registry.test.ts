/** The registry's contract (arguments, sources, output order, warm-up) and properties every fn must keep, NaN input included. */
import { describe, expect, it } from 'vitest';
import { INDICATOR_OUTPUTS, IndicatorSchema, type IndicatorFn } from '../../src/core/spec/schema.ts';
import type { Ohlcv } from '../../src/engine/data/bars.ts';
import {
  checkIndicatorArgs, computeIndicator, highest, indicatorArgNames, indicatorWarmup, lowest, sma, type IndicatorArgs,
} from '../../src/engine/indicators/index.ts';
import { expectBitIdentical, leadingNaNs, randomBars, seededRandom } from './indicators.fixtures.ts';

const FNS = Object.keys(INDICATOR_OUTPUTS) as IndicatorFn[];

/** Valid arguments for every fn, without `source`. */
const VALID: Record<IndicatorFn, IndicatorArgs> = {
  sma: { period: 10 }, ema: { period: 10 }, wma: { period: 10 }, rsi: { period: 14 }, roc: { period: 10 },
  highest: { period: 20 }, lowest: { period: 20 }, bbands: { period: 20, stddev: 2 },
  macd: { fast: 12, slow: 26, signal: 9 }, atr: { period: 14 }, stoch: { period: 14, signal: 3 }, adx: { period: 14 },
  cci: { period: 20 }, keltner: { period: 20, multiplier: 2 }, obv: {}, mfi: { period: 14 }, williamsr: { period: 14 },
};

/** Random valid arguments: periods 1..maxPeriod, factors in (0, 4]. */
function randomArgs(fn: IndicatorFn, rand: () => number, maxPeriod: number): IndicatorArgs {
  const period = (): number => 1 + Math.floor(rand() * maxPeriod);
  const args: IndicatorArgs = {};
  for (const key of indicatorArgNames(fn)) {
    if (key === 'source') continue;
    args[key] = key === 'stddev' || key === 'multiplier' ? 4 * (1 - rand()) : period();
  }
  if (fn === 'macd') {
    const [a, b] = [args.fast as number, (args.slow as number) + 1];
    args.fast = Math.min(a, b - 1);
    args.slow = Math.max(b, a + 1);
  }
  return args;
}

const mapBars = (b: Ohlcv, g: (c: Float64Array) => Float64Array): Ohlcv => ({
  open: g(b.open), high: g(b.high), low: g(b.low), close: g(b.close), volume: g(b.volume),
});
/** The series k bars back: a NaN head, as a lagged operand has. */
const lag = (c: Float64Array, k: number): Float64Array => {
  const out = new Float64Array(c.length).fill(NaN);
  out.set(c.subarray(0, c.length - k), k);
  return out;
};

describe('checkIndicatorArgs', () => {
  it('argument names mirror IndicatorSchema', () => {
    for (const option of IndicatorSchema.options) {
      const fn = option.shape.fn.value;
      expect([...indicatorArgNames(fn)].sort()).toEqual(Object.keys(option.shape).filter((k) => k !== 'fn').sort());
    }
  });

  it.each(FNS)('accepts valid %s arguments, with and without a source where it takes one', (fn) => {
    expect(checkIndicatorArgs(fn, VALID[fn])).toBeNull();
    if (indicatorArgNames(fn).includes('source')) expect(checkIndicatorArgs(fn, { ...VALID[fn], source: 'open' })).toBeNull();
  });

  it.each([
    ['sma', { period: 0 }, 'period must be an integer ≥ 1, got 0'],
    ['sma', { period: 2.5 }, 'period must be an integer ≥ 1, got 2.5'],
    ['sma', { period: -3 }, 'period must be an integer ≥ 1, got -3'],
    ['sma', { period: '5' }, 'period must be an integer ≥ 1, got "5"'],
    ['sma', {}, 'period is missing (an integer ≥ 1)'],
    ['stoch', { period: 14 }, 'signal is missing (an integer ≥ 1)'],
    ['macd', { fast: 26, slow: 12, signal: 9 }, 'fast must be below slow, got fast 26 and slow 12'],
    ['macd', { fast: 12, slow: 12, signal: 9 }, 'fast must be below slow, got fast 12 and slow 12'],
    ['macd', { fast: 12, slow: 26, signal: 0 }, 'signal must be an integer ≥ 1, got 0'],
    ['bbands', { period: 20, stddev: 0 }, 'stddev must be a number > 0, got 0'],
    ['bbands', { period: 20, stddev: NaN }, 'stddev must be a number > 0, got NaN'],
    ['bbands', { period: 20, stddev: Infinity }, 'stddev must be a number > 0, got Infinity'],
    ['keltner', { period: 20, multiplier: -1 }, 'multiplier must be a number > 0, got -1'],
    ['keltner', { period: 20 }, 'multiplier is missing (a number > 0)'],
    ['sma', { period: 5, source: 'hl2' }, 'source must be one of open high low close volume, got "hl2"'],
    ['atr', { period: 14, source: 'close' }, 'atr takes period; "source" is not one of them'],
    ['obv', { period: 3 }, 'obv takes no arguments; "period" is not one of them'],
    ['bbands', { period: 20, stdDev: 2 }, 'bbands takes source, period, stddev; "stdDev" is not one of them'],
  ] as Array<[IndicatorFn, IndicatorArgs, string]>)('%s %j → %s', (fn, args, message) => {
    expect(checkIndicatorArgs(fn, args)).toBe(message);
  });

  it('rejects an unknown fn without throwing', () => {
    expect(checkIndicatorArgs('vwap' as IndicatorFn, {})).toMatch(/^unknown indicator fn "vwap"; known: sma ema/);
  });

  it('computeIndicator and indicatorWarmup refuse what checkIndicatorArgs rejects', () => {
    const bars = randomBars(50, 1);
    expect(() => computeIndicator('sma', { period: 0 }, bars)).toThrow(new RangeError('sma: period must be an integer ≥ 1, got 0'));
    expect(() => indicatorWarmup('macd', { fast: 5, slow: 3, signal: 2 })).toThrow(RangeError);
  });
});

describe('computeIndicator', () => {
  const bars = randomBars(300, 7);

  it.each(FNS)('%s returns its outputs in INDICATOR_OUTPUTS order, each as long as the bars', (fn) => {
    const outputs = computeIndicator(fn, VALID[fn], bars);
    expect(outputs.length).toBe(INDICATOR_OUTPUTS[fn]?.length ?? 1);
    for (const column of outputs) expect(column.length).toBe(300);
  });

  it('reads close by default, high for highest and low for lowest, or the named source', () => {
    expectBitIdentical(computeIndicator('sma', { period: 5 }, bars)[0]!, sma(bars.close, 5));
    expectBitIdentical(computeIndicator('sma', { period: 5, source: 'volume' }, bars)[0]!, sma(bars.volume, 5));
    expectBitIdentical(computeIndicator('highest', { period: 5 }, bars)[0]!, highest(bars.high, 5));
    expectBitIdentical(computeIndicator('lowest', { period: 5 }, bars)[0]!, lowest(bars.low, 5));
    expectBitIdentical(computeIndicator('highest', { period: 5, source: 'close' }, bars)[0]!, highest(bars.close, 5));
  });

  it('outputs are fresh arrays, never the input columns', () => {
    const [out] = computeIndicator('highest', { period: 1 }, bars);
    expect(out).not.toBe(bars.high);
    expectBitIdentical(out!, bars.high);
  });

  it('throws on columns of unequal length', () => {
    const broken = { ...bars, low: bars.low.subarray(1) };
    expect(() => computeIndicator('atr', { period: 3 }, broken)).toThrow(/differ in length/);
  });
});

describe('properties of every fn on random bars and random arguments', () => {
  it.each(FNS)('%s: same length, NaN exactly during warm-up and only at the head', (fn) => {
    const rand = seededRandom(FNS.indexOf(fn) + 100);
    for (let trial = 0; trial < 25; trial++) {
      const n = Math.floor(rand() * 400);
      const bars = randomBars(n, trial);
      const args = randomArgs(fn, rand, 60);
      const outputs = computeIndicator(fn, args, bars);
      const heads = outputs.map(leadingNaNs);
      for (const [k, column] of outputs.entries()) {
        expect(column.length).toBe(n);
        expect(column.subarray(heads[k]).every((v) => !Number.isNaN(v)), `${fn} ${JSON.stringify(args)} n=${n}`).toBe(true);
      }
      expect(Math.max(...heads)).toBe(Math.min(indicatorWarmup(fn, args), n));
    }
  });
});

describe('NaN in the input: a break after which the kernel starts afresh', () => {
  const bars = randomBars(400, 3);

  it.each(FNS)('%s: computing a lagged series equals lagging the result (a NaN head is just a later start)', (fn) => {
    const k = 7;
    const lagged = computeIndicator(fn, VALID[fn], mapBars(bars, (c) => lag(c, k)));
    const original = computeIndicator(fn, VALID[fn], bars);
    lagged.forEach((column, i) => expectBitIdentical(column, lag(original[i]!, k)));
  });

  it.each(FNS)('%s: a missing bar splits the series into two independent ones', (fn) => {
    const j = 180;
    const holed = mapBars(bars, (c) => {
      const copy = c.slice();
      copy[j] = NaN;
      return copy;
    });
    const out = computeIndicator(fn, VALID[fn], holed);
    const before = computeIndicator(fn, VALID[fn], mapBars(bars, (c) => c.slice(0, j)));
    const after = computeIndicator(fn, VALID[fn], mapBars(bars, (c) => c.slice(j + 1)));
    out.forEach((column, i) => {
      expectBitIdentical(column.slice(0, j), before[i]!);
      expect(column[j]).toBeNaN();
      expectBitIdentical(column.slice(j + 1), after[i]!);
    });
  });

  it.each(FNS)('%s: all-NaN and empty inputs give all-NaN outputs', (fn) => {
    for (const b of [mapBars(bars, (c) => c.slice().fill(NaN)), randomBars(0, 5)]) {
      for (const column of computeIndicator(fn, VALID[fn], b)) expect(column.every(Number.isNaN)).toBe(true);
    }
  });

  it.each(FNS)('%s: the warm-up is over exactly at bar indicatorWarmup', (fn) => {
    const w = indicatorWarmup(fn, VALID[fn]);
    const allDefined = (outputs: Float64Array[], t: number): boolean => outputs.every((c) => !Number.isNaN(c[t]));
    const short = computeIndicator(fn, VALID[fn], randomBars(w, 5));
    for (let t = 0; t < w; t++) expect(allDefined(short, t)).toBe(false);
    expect(allDefined(computeIndicator(fn, VALID[fn], randomBars(w + 1, 5)), w)).toBe(true);
  });

  it('a NaN in a column the fn does not read changes nothing', () => {
    const noVolume = { ...bars, volume: bars.volume.slice().fill(NaN) };
    expectBitIdentical(computeIndicator('atr', { period: 5 }, noVolume)[0]!, computeIndicator('atr', { period: 5 }, bars)[0]!);
  });
});
