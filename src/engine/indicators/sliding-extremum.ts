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
  // The deque never holds more than min(period, n) indices, so a huge period costs no memory.
  const capacity = Math.max(1, Math.min(period, n));
  const deque = new Int32Array(capacity);
  forEachFiniteRun([src], (from, to) => {
    let head = 0;
    let size = 0;
    for (let t = from; t < to; t++) {
      if (size > 0 && deque[head]! <= t - period) {
        head = head + 1 === capacity ? 0 : head + 1;
        size--;
      }
      const x = src[t]!;
      while (size > 0) {
        const back = src[deque[(head + size - 1) % capacity]!]!;
        if (wantMax ? back > x : back < x) break;
        size--;
      }
      deque[(head + size) % capacity] = t;
      size++;
      if (t - from >= period - 1) out[t] = src[deque[head]!]!;
    }
  });
  return out;
}
