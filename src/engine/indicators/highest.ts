import { slidingExtremum } from './sliding-extremum.ts';

/** Highest value of the last `period` bars, current bar included (Pine `ta.highest`; the upper Donchian line). Defined from bar period − 1. */
export function highest(src: Float64Array, period: number): Float64Array {
  return slidingExtremum(src, period, true);
}
