import { slidingExtremum } from './sliding-extremum.ts';

/** Lowest value of the last `period` bars, current bar included (Pine `ta.lowest`; the lower Donchian line). Defined from bar period − 1. */
export function lowest(src: Float64Array, period: number): Float64Array {
  return slidingExtremum(src, period, false);
}
