import { f64Column } from '../workspace.ts';
import { requirePeriod, requireSameLength } from './columns.ts';
import { highest } from './highest.ts';
import { lowest } from './lowest.ts';

/**
 * Williams %R = −100 · (highest high − close) / (highest high − lowest low) over `period` bars,
 * in [−100, 0]: defined from bar period − 1. NaN on a flat window (0/0), as in technicalindicators.
 */
export function williamsr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const n = requireSameLength([high, low, close]);
  const hh = highest(high, period);
  const ll = lowest(low, period);
  const out = f64Column(n);
  for (let t = 0; t < n; t++) out[t] = ((hh[t]! - close[t]!) / (hh[t]! - ll[t]!)) * -100;
  return out;
}
