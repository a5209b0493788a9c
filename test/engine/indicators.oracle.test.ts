/**
 * Every indicator fn against technicalindicators 3.1 (the oracle) on real S&P 500 bars and on a
 * seeded random market, through the registry. The oracle's output is head-truncated; we pad it
 * with NaN. Bit-identical where our arithmetic is the oracle's, within 1e-9 relative where it is
 * not (WMA), within 1e-12 relative where our window sums are exact and its are not (SMA, bands, CCI,
 * stochastic %D; see Mode), within the oracle's 2-decimal rounding for RSI and MFI, which we also check
 * unrounded against simple references (and RSI bit for bit against the oracle's own averages).
 *
 * Oracle quirks found reading its source (node_modules/technicalindicators/dist/index.js) — none
 * bite on these inputs, which are positive, NaN-free and never flat; see indicators.kernels.test.ts:
 * - RSI and MFI are rounded with toFixed(2); every other output is passed through `format`, the
 *   identity unless someone calls setConfig('precision', …).
 * - FixedSizeLinkedList (used by Highest/Lowest, Stochastic, WilliamsR, SD, CCI) starts its max at
 *   0, so an all-negative window reports 0; and its re-scan and iterator stop at the first falsy
 *   value, so a window containing 0 gives a stale max/min and a truncated SD (bbands) and mean
 *   deviation (CCI).
 * - EMA, MACD and BollingerBands test their seed/mean for truthiness: an SMA of exactly 0 is
 *   treated as missing (EMA then seeds with α·x instead of 0; bands repeat the previous row).
 * - ROC drops NaN results from its output (0/0), which shifts every later value one bar left.
 * - ADX reports +DI/−DI only once ADX is defined (bar 2p−1) though they exist from bar p; a DX of
 *   0/0 makes ADX NaN for the rest of the series.
 * - MFI never uses bar 0 (first value at bar p+1, not p) and counts an unchanged typical price as
 *   negative flow.
 * - KeltnerChannelsInput's defaults (maPeriod 20, atrPeriod 10, multiplier 1) apply only to a
 *   `new KeltnerChannelsInput()`; a plain object without `multiplier` yields NaN upper/lower.
 * - TrueRange emits nothing for bar 0 (Pine uses high − low there), so ATR starts at bar p.
 * - OBV's first value is at bar 1 (bar 0 is only the reference close) unless close[0] is 0.
 */
import {
  ADX, ATR, AverageGain, AverageLoss, BollingerBands, CCI, EMA, Highest, KeltnerChannels, Lowest, MACD, MFI, OBV, ROC, RSI, SMA, Stochastic, WMA, WilliamsR,
} from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import type { IndicatorFn } from '../../src/core/spec/schema.ts';
import type { Ohlcv } from '../../src/engine/data/bars.ts';
import { computeIndicator, indicatorWarmup, type IndicatorArgs } from '../../src/engine/indicators/registry.ts';
import { expectBitIdentical, expectClose, expectWarmup, leadingNaNs, padHead, randomBars, sp500 } from './indicators.fixtures.ts';

/**
 * 'compensated': our window sums are exact (the correctly rounded sum, indicators.exact-sums.test.ts)
 * and the oracle's rolling sums are plain, so the two differ by the oracle's accumulated rounding:
 * within 1e-12 relative; CCI within 1e-9 relative and absolute, because its tp − mean and mean
 * deviation cancel (at period 2 the oracle's CCI drifts to 66.6666667 where the exact value is 200/3).
 */
type Mode = 'bit-identical' | 'close' | 'rounded' | 'compensated';
type Field = 'open' | 'high' | 'low' | 'close' | 'volume';

interface OracleCase {
  fn: IndicatorFn;
  args: IndicatorArgs;
  mode: Mode;
  /** The oracle's outputs in INDICATOR_OUTPUTS order, head-truncated as it returns them. */
  oracle: (b: Plain) => Array<Array<number | undefined>>;
  /** Our per-output warm-ups where they differ from the all-outputs warm-up. */
  ownWarmups?: (args: IndicatorArgs) => number[];
  /** Outputs we define before the oracle reports them (ADX ±DI, Keltner middle). */
  definedEarlier?: number[];
}

/** The bars as plain arrays, as technicalindicators wants them (it may reverse its inputs in place). */
type Plain = Record<Field, number[]>;
const plain = (b: Ohlcv): Plain => ({
  open: Array.from(b.open), high: Array.from(b.high), low: Array.from(b.low), close: Array.from(b.close), volume: Array.from(b.volume),
});

const num = (a: IndicatorArgs, k: string): number => a[k] as number;
const src = (b: Plain, a: IndicatorArgs, fallback: Field): number[] => b[(a.source as Field | undefined) ?? fallback];

const single = (fn: IndicatorFn, periods: number[], calc: (values: number[], period: number) => number[], fallback: Field = 'close'): OracleCase[] =>
  periods.map((period) => ({ fn, args: { period }, mode: 'bit-identical' as Mode, oracle: (b) => [calc(src(b, { period }, fallback), period)] }));

const CASES: OracleCase[] = [
  ...single('sma', [1, 2, 5, 20, 200], (values, period) => SMA.calculate({ values, period })).map((c) => ({ ...c, mode: 'compensated' as Mode })),
  ...single('ema', [1, 2, 9, 50], (values, period) => EMA.calculate({ values, period })),
  ...single('wma', [1, 3, 10, 30], (values, period) => WMA.calculate({ values, period })).map((c) => ({ ...c, mode: 'close' as Mode })),
  ...single('rsi', [1, 2, 14, 30], (values, period) => RSI.calculate({ values, period })).map((c) => ({ ...c, mode: 'rounded' as Mode })),
  ...single('roc', [1, 10, 25], (values, period) => ROC.calculate({ values, period })),
  ...single('highest', [1, 3, 20, 55], (values, period) => Highest.calculate({ values, period }), 'high'),
  ...single('lowest', [1, 3, 20, 55], (values, period) => Lowest.calculate({ values, period }), 'low'),
  { fn: 'highest', args: { source: 'close', period: 10 }, mode: 'bit-identical', oracle: (b) => [Highest.calculate({ values: b.close, period: 10 })] },
  { fn: 'sma', args: { source: 'volume', period: 10 }, mode: 'compensated', oracle: (b) => [SMA.calculate({ values: b.volume, period: 10 })] },
  { fn: 'ema', args: { source: 'open', period: 10 }, mode: 'bit-identical', oracle: (b) => [EMA.calculate({ values: b.open, period: 10 })] },
  ...[[20, 2], [5, 1.5], [50, 3]].map(([period, stddev]): OracleCase => ({
    fn: 'bbands', args: { period: period!, stddev: stddev! }, mode: 'compensated',
    oracle: (b) => {
      const rows = BollingerBands.calculate({ values: b.close, period: period!, stdDev: stddev! });
      return [rows.map((r) => r.upper), rows.map((r) => r.middle), rows.map((r) => r.lower)];
    },
  })),
  ...[[12, 26, 9], [3, 10, 16], [1, 2, 1]].map(([fast, slow, signal]): OracleCase => ({
    fn: 'macd', args: { fast: fast!, slow: slow!, signal: signal! }, mode: 'bit-identical',
    oracle: (b) => {
      const rows = MACD.calculate({ values: b.close, fastPeriod: fast!, slowPeriod: slow!, signalPeriod: signal!, SimpleMAOscillator: false, SimpleMASignal: false });
      return [rows.map((r) => r.MACD), rows.map((r) => r.signal), rows.map((r) => r.histogram)];
    },
    // The line is defined from bar slow − 1, the signal and histogram from slow + signal − 2.
    ownWarmups: (a) => [num(a, 'slow') - 1, num(a, 'slow') + num(a, 'signal') - 2, num(a, 'slow') + num(a, 'signal') - 2],
  })),
  ...[1, 14, 30].map((period): OracleCase => ({
    fn: 'atr', args: { period }, mode: 'bit-identical', oracle: (b) => [ATR.calculate({ high: b.high, low: b.low, close: b.close, period })],
  })),
  ...[[14, 3], [5, 1], [21, 5]].map(([period, signal]): OracleCase => ({
    fn: 'stoch', args: { period: period!, signal: signal! }, mode: 'compensated',
    oracle: (b) => {
      const rows = Stochastic.calculate({ high: b.high, low: b.low, close: b.close, period: period!, signalPeriod: signal! });
      return [rows.map((r) => r.k), rows.map((r) => r.d)];
    },
    ownWarmups: (a) => [num(a, 'period') - 1, num(a, 'period') + num(a, 'signal') - 2],
  })),
  // Not period 1: one bar without directional movement makes DX 0/0, which ends the oracle's ADX
  // for good while ours warms up again (indicators.kernels.test.ts).
  ...[2, 5, 14].map((period): OracleCase => ({
    fn: 'adx', args: { period }, mode: 'bit-identical',
    oracle: (b) => {
      const rows = ADX.calculate({ high: b.high, low: b.low, close: b.close, period });
      return [rows.map((r) => r.adx), rows.map((r) => r.pdi), rows.map((r) => r.mdi)];
    },
    // ±DI exist from bar p; the oracle holds them back until ADX exists (bar 2p − 1).
    ownWarmups: (a) => [2 * num(a, 'period') - 1, num(a, 'period'), num(a, 'period')],
    definedEarlier: [1, 2],
  })),
  ...[2, 14, 20].map((period): OracleCase => ({
    fn: 'cci', args: { period }, mode: 'compensated', oracle: (b) => [CCI.calculate({ high: b.high, low: b.low, close: b.close, period })],
  })),
  ...[[20, 2], [10, 1.5], [1, 1]].map(([period, multiplier]): OracleCase => ({
    fn: 'keltner', args: { period: period!, multiplier: multiplier! }, mode: 'bit-identical',
    oracle: (b) => {
      const rows = KeltnerChannels.calculate({ high: b.high, low: b.low, close: b.close, maPeriod: period!, atrPeriod: period!, useSMA: false, multiplier: multiplier! });
      return [rows.map((r) => r.upper), rows.map((r) => r.middle), rows.map((r) => r.lower)];
    },
    // The middle line is the EMA, defined a bar before the ATR.
    ownWarmups: (a) => [num(a, 'period'), num(a, 'period') - 1, num(a, 'period')],
    definedEarlier: [1],
  })),
  {
    // The oracle's Keltner reads close only; a different source is EMA(source) ± multiplier · ATR.
    fn: 'keltner', args: { source: 'open', period: 15, multiplier: 2.5 }, mode: 'bit-identical',
    oracle: (b) => {
      const mid = EMA.calculate({ values: b.open, period: 15 });
      const range = ATR.calculate({ high: b.high, low: b.low, close: b.close, period: 15 });
      const rows = range.map((r, i) => mid[i + 1]!).map((m, i) => [m + 2.5 * range[i]!, m, m - 2.5 * range[i]!]);
      return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])];
    },
    ownWarmups: () => [15, 14, 15],
    definedEarlier: [1],
  },
  { fn: 'obv', args: {}, mode: 'bit-identical', oracle: (b) => [OBV.calculate({ close: b.close, volume: b.volume })] },
  ...[2, 5, 14].map((period): OracleCase => ({
    fn: 'mfi', args: { period }, mode: 'rounded',
    oracle: (b) => [MFI.calculate({ high: b.high, low: b.low, close: b.close, volume: b.volume, period })],
  })),
  ...[1, 5, 14].map((period): OracleCase => ({
    fn: 'williamsr', args: { period }, mode: 'bit-identical', oracle: (b) => [WilliamsR.calculate({ high: b.high, low: b.low, close: b.close, period })],
  })),
];

/** Deliberately plain RSI: arrays of gains and losses, Wilder's averages seeded with their mean. */
function referenceRsi(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const gains: number[] = [];
  const losses: number[] = [];
  for (let i = 1; i < x.length; i++) {
    gains.push(Math.max(x[i]! - x[i - 1]!, 0));
    losses.push(Math.max(x[i - 1]! - x[i]!, 0));
  }
  if (gains.length < period) return out;
  const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  let g = mean(gains.slice(0, period));
  let l = mean(losses.slice(0, period));
  for (let i = period; ; i++) {
    out[i] = l === 0 ? 100 : 100 * (g / (g + l));
    if (i >= gains.length) break;
    g = (g * (period - 1) + gains[i]!) / period;
    l = (l * (period - 1) + losses[i]!) / period;
  }
  return out;
}

/** Deliberately plain MFI: both flows re-summed over the window at every bar (with the oracle's quirks: bar 0 unused, ties negative). */
function referenceMfi(b: Ohlcv, period: number): Float64Array {
  const n = b.close.length;
  const out = new Float64Array(n).fill(NaN);
  const tp = Array.from(b.close, (c, i) => (b.high[i]! + b.low[i]! + c) / 3);
  for (let t = period + 1; t < n; t++) {
    let pos = 0;
    let neg = 0;
    for (let j = t - period + 1; j <= t; j++) {
      if (tp[j]! > tp[j - 1]!) pos += tp[j]! * b.volume[j]!;
      else neg += tp[j]! * b.volume[j]!;
    }
    out[t] = 100 * (pos / (pos + neg));
  }
  return out;
}

const DATASETS: Array<[string, Ohlcv]> = [
  ['S&P 500 daily 2000–2011 (3000 bars)', sp500(3000)],
  ['seeded random walk (2000 bars)', randomBars(2000, 42)],
];

describe.each(DATASETS)('indicators vs technicalindicators on %s', (_name, bars) => {
  const n = bars.close.length;
  const asPlain = plain(bars);

  it.each(CASES.map((c) => [`${c.fn} ${JSON.stringify(c.args)} (${c.mode})`, c] as const))('%s', (_label, c) => {
    const ours = computeIndicator(c.fn, c.args, bars);
    const oracle = c.oracle(asPlain);
    expect(ours.length).toBe(oracle.length);
    const warmup = indicatorWarmup(c.fn, c.args);
    const own = c.ownWarmups?.(c.args) ?? ours.map(() => warmup);
    expect(Math.max(...own)).toBe(warmup);
    const heads = oracle.map((column) => leadingNaNs(padHead(column, n)));
    // The oracle emits a row once every output it bundles is defined, so its head is our all-outputs warm-up.
    expect(Math.max(...heads)).toBe(warmup);
    ours.forEach((column, k) => {
      expectWarmup(column, n, own[k]!);
      // Only the outputs named in `definedEarlier` start before the oracle's; they are checked elsewhere.
      expect(heads[k]).toBe(c.definedEarlier?.includes(k) ? heads[k] : own[k]);
      const theirs = padHead(oracle[k]!, n);
      const mine = column.slice().fill(NaN, 0, heads[k]);
      if (c.mode === 'bit-identical') expectBitIdentical(mine, theirs);
      else if (c.mode === 'close') expectClose(mine, theirs, 1e-9);
      else if (c.mode === 'compensated') expectClose(mine, theirs, c.fn === 'cci' ? 1e-9 : 1e-12, c.fn === 'cci' ? 1e-9 : 0);
      // Rounded to 2 decimals by the oracle: half a unit in the last place, plus float slack.
      else expectClose(mine, theirs, 0, 0.005 + 1e-9);
    });
    if (c.mode === 'rounded') {
      const period = num(c.args, 'period');
      const reference = c.fn === 'rsi' ? referenceRsi(bars.close, period) : referenceMfi(bars, period);
      expectClose(ours[0]!, reference, 1e-9, 1e-12);
    }
    if (c.fn === 'rsi') {
      // The oracle's own unrounded averages, combined as its RSI does before toFixed(2).
      const period = num(c.args, 'period');
      const gains = AverageGain.calculate({ values: asPlain.close, period });
      const losses = AverageLoss.calculate({ values: asPlain.close, period });
      const unrounded = gains.map((g, i) => {
        const l = losses[i]!;
        return l === 0 ? 100 : g === 0 ? 0 : 100 - 100 / (1 + g / l);
      });
      expectBitIdentical(ours[0]!, padHead(unrounded, n));
    }
  });
});
