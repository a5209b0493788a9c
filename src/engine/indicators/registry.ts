import type { IndicatorFn, PriceField } from '../../core/spec/schema.ts';
import { PRICE_FIELDS } from '../../core/spec/vocabulary.ts';
import type { Ohlcv } from '../data/bars.ts';
import { adx } from './adx.ts';
import { atr } from './atr.ts';
import { bbands } from './bbands.ts';
import { cci } from './cci.ts';
import { ema } from './ema.ts';
import { highest } from './highest.ts';
import { keltner } from './keltner.ts';
import { lowest } from './lowest.ts';
import { macd } from './macd.ts';
import { mfi } from './mfi.ts';
import { obv } from './obv.ts';
import { roc } from './roc.ts';
import { rsi } from './rsi.ts';
import { sma } from './sma.ts';
import { stoch } from './stoch.ts';
import { williamsr } from './williamsr.ts';
import { wma } from './wma.ts';

/** Resolved arguments: numbers for periods and factors, `source` a price field name. */
export type IndicatorArgs = Record<string, number | string>;

interface Entry {
  /** The default price field when the fn reads one series; absent for fns that read the bar itself. */
  readonly source?: PriceField;
  /** Integer arguments ≥ 1 (periods). */
  readonly periods: readonly string[];
  /** Real arguments > 0 (band widths). */
  readonly factors: readonly string[];
  /** Index of the first bar where every output is defined, on input without NaN. */
  readonly warmup: (a: IndicatorArgs) => number;
  /** Outputs in INDICATOR_OUTPUTS order. */
  readonly compute: (a: IndicatorArgs, src: Float64Array, bars: Ohlcv) => Float64Array[];
}

/** Reads an argument `checkIndicatorArgs` has already vetted. */
function num(a: IndicatorArgs, key: string): number {
  const v = a[key];
  if (typeof v !== 'number') throw new RangeError(`${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

const p = (a: IndicatorArgs): number => num(a, 'period');

const ENTRIES: Record<IndicatorFn, Entry> = {
  sma: { source: 'close', periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, s) => [sma(s, p(a))] },
  ema: { source: 'close', periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, s) => [ema(s, p(a))] },
  wma: { source: 'close', periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, s) => [wma(s, p(a))] },
  rsi: { source: 'close', periods: ['period'], factors: [], warmup: (a) => p(a), compute: (a, s) => [rsi(s, p(a))] },
  roc: { source: 'close', periods: ['period'], factors: [], warmup: (a) => p(a), compute: (a, s) => [roc(s, p(a))] },
  highest: { source: 'high', periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, s) => [highest(s, p(a))] },
  lowest: { source: 'low', periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, s) => [lowest(s, p(a))] },
  bbands: {
    source: 'close', periods: ['period'], factors: ['stddev'], warmup: (a) => p(a) - 1,
    compute: (a, s) => {
      const b = bbands(s, p(a), num(a, 'stddev'));
      return [b.upper, b.middle, b.lower];
    },
  },
  macd: {
    source: 'close', periods: ['fast', 'slow', 'signal'], factors: [],
    warmup: (a) => num(a, 'slow') + num(a, 'signal') - 2,
    compute: (a, s) => {
      const m = macd(s, num(a, 'fast'), num(a, 'slow'), num(a, 'signal'));
      return [m.macd, m.signal, m.histogram];
    },
  },
  atr: { periods: ['period'], factors: [], warmup: (a) => p(a), compute: (a, _s, b) => [atr(b.high, b.low, b.close, p(a))] },
  stoch: {
    periods: ['period', 'signal'], factors: [], warmup: (a) => p(a) + num(a, 'signal') - 2,
    compute: (a, _s, b) => {
      const st = stoch(b.high, b.low, b.close, p(a), num(a, 'signal'));
      return [st.k, st.d];
    },
  },
  adx: {
    periods: ['period'], factors: [], warmup: (a) => 2 * p(a) - 1,
    compute: (a, _s, b) => {
      const d = adx(b.high, b.low, b.close, p(a));
      return [d.adx, d.pdi, d.mdi];
    },
  },
  cci: { periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, _s, b) => [cci(b.high, b.low, b.close, p(a))] },
  keltner: {
    source: 'close', periods: ['period'], factors: ['multiplier'], warmup: (a) => p(a),
    compute: (a, s, b) => {
      const k = keltner(s, b.high, b.low, b.close, p(a), num(a, 'multiplier'));
      return [k.upper, k.middle, k.lower];
    },
  },
  obv: { periods: [], factors: [], warmup: () => 1, compute: (_a, _s, b) => [obv(b.close, b.volume)] },
  mfi: { periods: ['period'], factors: [], warmup: (a) => p(a) + 1, compute: (a, _s, b) => [mfi(b.high, b.low, b.close, b.volume, p(a))] },
  williamsr: { periods: ['period'], factors: [], warmup: (a) => p(a) - 1, compute: (a, _s, b) => [williamsr(b.high, b.low, b.close, p(a))] },
};

/** The argument names a fn accepts, `source` first when it takes one (mirrors IndicatorSchema). */
export function indicatorArgNames(fn: IndicatorFn): readonly string[] {
  const e = ENTRIES[fn];
  return [...(e.source === undefined ? [] : ['source']), ...e.periods, ...e.factors];
}

function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v) ?? 'nothing';
}

/** null if `args` are valid for `fn`, else a message that says what is allowed and what was given. */
export function checkIndicatorArgs(fn: IndicatorFn, args: IndicatorArgs): string | null {
  const e = ENTRIES[fn] as Entry | undefined;
  if (e === undefined) return `unknown indicator fn ${show(fn)}; known: ${Object.keys(ENTRIES).join(' ')}`;
  const allowed = indicatorArgNames(fn);
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) return `${fn} takes ${allowed.length === 0 ? 'no arguments' : allowed.join(', ')}; ${show(key)} is not one of them`;
  }
  const source = args.source;
  if (source !== undefined && !(PRICE_FIELDS as readonly unknown[]).includes(source)) {
    return `source must be one of ${PRICE_FIELDS.join(' ')}, got ${show(source)}`;
  }
  for (const key of e.periods) {
    const v = args[key];
    if (v === undefined) return `${key} is missing (an integer ≥ 1)`;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return `${key} must be an integer ≥ 1, got ${show(v)}`;
  }
  for (const key of e.factors) {
    const v = args[key];
    if (v === undefined) return `${key} is missing (a number > 0)`;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${key} must be a number > 0, got ${show(v)}`;
  }
  if (fn === 'macd' && num(args, 'fast') >= num(args, 'slow')) {
    return `fast must be below slow, got fast ${show(args.fast)} and slow ${show(args.slow)}`;
  }
  return null;
}

function entryFor(fn: IndicatorFn, args: IndicatorArgs): Entry {
  const problem = checkIndicatorArgs(fn, args);
  if (problem !== null) throw new RangeError(`${fn}: ${problem}`);
  return ENTRIES[fn];
}

/**
 * Computes `fn` over the bars: one column per output in INDICATOR_OUTPUTS[fn] order (one column
 * for single-output fns), each as long as the bars, NaN while undefined. Throws a RangeError on
 * arguments `checkIndicatorArgs` rejects.
 */
export function computeIndicator(fn: IndicatorFn, args: IndicatorArgs, bars: Ohlcv): Float64Array[] {
  const e = entryFor(fn, args);
  const field = (args.source as PriceField | undefined) ?? e.source ?? 'close';
  return e.compute(args, bars[field], bars);
}

/** Index of the first bar where every output of `fn` is defined, for input without NaN. */
export function indicatorWarmup(fn: IndicatorFn, args: IndicatorArgs): number {
  return entryFor(fn, args).warmup(args);
}
