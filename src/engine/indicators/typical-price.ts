import { f64Column } from '../workspace.ts';
import { requireSameLength } from './columns.ts';

/** (high + low + close) / 3, summed in that order (bit-identical to technicalindicators). */
export function typicalPrice(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = requireSameLength([high, low, close]);
  const out = f64Column(n);
  for (let t = 0; t < n; t++) out[t] = (high[t]! + low[t]! + close[t]!) / 3;
  return out;
}
