import { forEachFiniteRun, nanColumn, requirePeriod } from './columns.ts';

/**
 * max (or min) of src[t−period+1 .. t], current bar included (Pine `ta.highest`): defined from
 * bar period − 1. A monotonic deque of indices keeps it O(n) whatever the period: each index is
 * pushed and popped at most once.
 */
export function slidingExtremum(src: Float64Array, period: number, wantMax: boolean): Float64Array {
  requirePeriod('period', period);
  const n = src.length;
  const out = nanColumn(n);
  // Indices enter in increasing order and each at most once, so a plain array of n slots with
  // head and tail cursors never wraps: no modulo in the loop.
  const deque = new Int32Array(n);
  forEachFiniteRun([src], (from, to) => {
    let head = 0;
    let tail = 0;
    for (let t = from; t < to; t++) {
      if (tail > head && deque[head]! <= t - period) head++;
      const x = src[t]!;
      while (tail > head) {
        const back = src[deque[tail - 1]!]!;
        if (wantMax ? back > x : back < x) break;
        tail--;
      }
      deque[tail++] = t;
      if (t - from >= period - 1) out[t] = src[deque[head]!]!;
    }
  });
  return out;
}
