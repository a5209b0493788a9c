import type { Interval } from '../../core/intervals.ts';
import type { Bars } from '../data/bars.ts';

/** A series in one SharedArrayBuffer (six float64 columns back to back): every worker reads the same memory. */
export interface SharedSeries {
  symbol: string;
  interval: Interval;
  length: number;
  buffer: SharedArrayBuffer;
}

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Copies `bars` once into shared memory; workers get views, not copies. */
export function shareBars(bars: Bars): SharedSeries {
  const n = bars.time.length;
  const buffer = new SharedArrayBuffer(n * 8 * COLUMNS.length);
  COLUMNS.forEach((c, j) => new Float64Array(buffer, j * n * 8, n).set(bars[c]));
  return { symbol: bars.symbol, interval: bars.interval, length: n, buffer };
}

/** Read-only by convention: nothing in a worker writes bar columns. */
export function barsFromShared(s: SharedSeries): Bars {
  const col = (j: number): Float64Array => new Float64Array(s.buffer, j * s.length * 8, s.length);
  return { symbol: s.symbol, interval: s.interval, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}
