import type { Interval } from '../../core/intervals.ts';

/** The five price columns every indicator and the backtest read. */
export interface Ohlcv {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** A columnar bar series. `time` is epoch milliseconds, ascending, unique. All columns have equal length. */
export interface Bars extends Ohlcv {
  readonly symbol: string;
  readonly interval: Interval;
  readonly time: Float64Array;
}

export function barCount(bars: Bars): number {
  return bars.time.length;
}

/** Bars [from, to) as zero-copy views. */
export function sliceBars(bars: Bars, from: number, to: number): Bars {
  return {
    symbol: bars.symbol,
    interval: bars.interval,
    time: bars.time.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
  };
}

/** Allocates an empty series of length n (used by loaders, resampling and synthetic markets). */
export function allocBars(symbol: string, interval: Interval, n: number): Bars {
  return {
    symbol, interval,
    time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n),
    low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
}
