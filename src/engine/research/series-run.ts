import type { Metrics, Segment, SeriesKey, SeriesRun, TradeColumns } from '../../core/research/run.ts';
import type { Bars } from '../data/bars.ts';
import { spanYears } from '../backtest/metrics.ts';
import type { BacktestResult } from '../backtest/types.ts';

/** The closed trades of `result` as columns, times read from `bars` (copied: the log may be reused). */
export function tradeColumns(bars: Bars, result: BacktestResult): TradeColumns {
  const log = result.log;
  const count = log.count;
  const entryTime = new Float64Array(count);
  const exitTime = new Float64Array(count);
  const held = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    entryTime[k] = bars.time[log.entryIndex[k]!]!;
    exitTime[k] = bars.time[log.exitIndex[k]!]!;
    held[k] = log.exitIndex[k]! - log.entryIndex[k]!;
  }
  return { count, side: log.side.slice(0, count), entryTime, exitTime, ret: log.ret.slice(0, count), bars: held };
}

/** (N − 1) / years (DESIGN §5); 0 for fewer than two bars or a zero span. */
export function barsPerYear(time: Float64Array): number {
  const years = spanYears(time);
  return years > 0 ? (time.length - 1) / years : 0;
}

/**
 * A SeriesRun owning its columns: time, equity and position are copied out of the bars (views into a
 * cache) and out of the backtest's buffers (which an optimiser may overwrite on its next trial).
 */
export function toSeriesRun(
  key: SeriesKey, sector: string, segment: Segment, bars: Bars, result: BacktestResult, metrics: Metrics,
  hedge: { drift: number; market: Float64Array },
  gross?: Metrics,
): SeriesRun {
  if (hedge.market.length !== bars.time.length) throw new RangeError(`${key.symbol}@${key.interval}: market returns (${hedge.market.length}) and bars (${bars.time.length}) differ in length`);
  return {
    key: { symbol: key.symbol, interval: key.interval },
    sector, segment,
    time: bars.time.slice(),
    equity: result.equity.slice(),
    position: result.position.slice(),
    metrics: { ...metrics },
    trades: tradeColumns(bars, result),
    barsPerYear: barsPerYear(bars.time),
    drift: hedge.drift,
    market: hedge.market,
    ...(gross === undefined ? {} : { gross: { ...gross } }),
  };
}

/** μ_j: mean of close[t] / close[t − 1] − 1 over bars [0, to) (the visible window); 0 with fewer than two bars. */
export function meanBarReturn(close: ArrayLike<number>, to: number): number {
  let sum = 0;
  for (let t = 1; t < to; t++) sum += close[t]! / close[t - 1]! - 1;
  return to >= 2 ? sum / (to - 1) : 0;
}
