import type { Bars } from '../data/bars.ts';
import {
  LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT,
  type BacktestResult, type ExecutionOptions,
} from './types.ts';
import { Book } from './book.ts';

// Orders decided at a close and executed at the next open.
const NONE = 0;
const OPEN_LONG = 1;
const OPEN_SHORT = 2;
const CLOSE = 3;
const REVERSE = 4;

/** The order the close of a bar produces, given the signal bits and the position (docs/semantics.md). */
export function decideOrder(bits: number, pos: number): number {
  if (pos === 0) {
    if ((bits & LONG_ENTRY) !== 0) return OPEN_LONG;
    if ((bits & SHORT_ENTRY) !== 0) return OPEN_SHORT;
    return NONE;
  }
  if (pos > 0) {
    if ((bits & SHORT_ENTRY) !== 0) return REVERSE;
    return (bits & LONG_EXIT) !== 0 ? CLOSE : NONE;
  }
  if ((bits & LONG_ENTRY) !== 0) return REVERSE;
  return (bits & SHORT_EXIT) !== 0 ? CLOSE : NONE;
}

/**
 * Executes signals bar by bar under DESIGN §4 (exact rules in docs/semantics.md).
 * One pass, no allocation per bar: only closed trades allocate.
 */
export function runBacktest(bars: Bars, signals: Uint8Array, opts: ExecutionOptions): BacktestResult {
  const { time, open, high, low, close } = bars;
  const n = time.length;
  if (signals.length !== n) throw new Error(`signals have ${signals.length} bars, data has ${n}`);
  const equity = new Float64Array(n);
  const position = new Int8Array(n);
  if (n === 0) return { equity, position, trades: [] };

  const stopFrac = opts.stopLossPct === null ? -1 : opts.stopLossPct / 100;
  const targetFrac = opts.takeProfitPct === null ? -1 : opts.takeProfitPct / 100;
  const guarded = stopFrac > 0 || targetFrac > 0;
  const book = new Book(time, opts.feesBps / 1e4, opts.slippageBps / 1e4, stopFrac, targetFrac);

  // The position's numbers live in locals between fills, so a bar without a fill costs a few
  // reads and two stores; they are reloaded from the book after anything that changes it.
  let pos = 0;
  let base = 1; // flat equity, or the entry equity while a position is open
  let exposure = 0; // pos · units
  let entry = 0;
  let order = NONE;
  for (let t = 0; t < n; t++) {
    if (order !== NONE || (guarded && pos !== 0)) {
      if (order !== NONE) {
        const o = open[t]!;
        if (order === OPEN_LONG) book.enter(1, o, t);
        else if (order === OPEN_SHORT) book.enter(-1, o, t);
        else {
          const side = book.pos;
          book.exit(o, t, 'signal');
          if (order === REVERSE) book.enter(-side, o, t);
        }
        order = NONE;
      }
      if (guarded && book.pos !== 0) book.guard(open[t]!, high[t]!, low[t]!, t);
      pos = book.pos;
      base = pos === 0 ? book.flatEquity : book.entryEquity;
      exposure = pos * book.units;
      entry = book.entryPrice;
    }
    position[t] = pos;
    equity[t] = pos === 0 ? base : base + exposure * (close[t]! - entry);
    if (t < n - 1) {
      const bits = signals[t]!;
      if (bits !== 0) order = decideOrder(bits, pos);
    }
  }
  if (book.pos !== 0) {
    book.exit(close[n - 1]!, n - 1, 'end');
    equity[n - 1] = book.flatEquity;
  }
  return { equity, position, trades: book.trades };
}
