import { f64Column } from '../workspace.ts';
import { requirePeriod } from './columns.ts';
import { ema } from './ema.ts';

export interface Macd {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/**
 * MACD line = EMA(fast) − EMA(slow), defined from bar slow − 1; signal = EMA(signal) of the line
 * and histogram = line − signal, defined from bar slow + signal − 2. The signal EMA seeds on the
 * first `signal` defined line values because the line's NaN head ends a finite run.
 */
export function macd(src: Float64Array, fast: number, slow: number, signal: number): Macd {
  requirePeriod('fast', fast);
  requirePeriod('slow', slow);
  requirePeriod('signal', signal);
  const n = src.length;
  const fastMa = ema(src, fast);
  const slowMa = ema(src, slow);
  const line = f64Column(n);
  for (let t = 0; t < n; t++) line[t] = fastMa[t]! - slowMa[t]!;
  const signalLine = ema(line, signal);
  const histogram = f64Column(n);
  for (let t = 0; t < n; t++) histogram[t] = line[t]! - signalLine[t]!;
  return { macd: line, signal: signalLine, histogram };
}
