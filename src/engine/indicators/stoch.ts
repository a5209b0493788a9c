import { f64Column } from '../workspace.ts';
import { requirePeriod, requireSameLength } from './columns.ts';
import { highest } from './highest.ts';
import { lowest } from './lowest.ts';
import { sma } from './sma.ts';

export interface Stoch {
  readonly k: Float64Array;
  readonly d: Float64Array;
}

/**
 * Stochastic oscillator: raw (fast) %K = 100 · (close − lowest low) / (highest high − lowest
 * low) over `period` bars, defined from bar period − 1; %D = SMA(signal) of %K, defined from
 * bar period + signal − 2. A flat window (range 0, close on it) gives %K = 0, as in
 * technicalindicators.
 */
export function stoch(high: Float64Array, low: Float64Array, close: Float64Array, period: number, signal: number): Stoch {
  requirePeriod('period', period);
  requirePeriod('signal', signal);
  const n = requireSameLength([high, low, close]);
  const hh = highest(high, period);
  const ll = lowest(low, period);
  const k = f64Column(n);
  for (let t = 0; t < n; t++) {
    const fromLow = close[t]! - ll[t]!;
    const range = hh[t]! - ll[t]!;
    // Only the 0/0 case is mapped to 0; a NaN input still yields NaN.
    k[t] = fromLow === 0 && range === 0 ? 0 : (fromLow / range) * 100;
  }
  return { k, d: sma(k, signal) };
}
