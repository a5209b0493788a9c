import type { Bars } from '../data/bars.ts';
import {
  LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT,
  type BacktestResult, type ExecutionOptions, type Trade,
} from './types.ts';
import { TradeLog } from './trade-log.ts';
import { Book } from './book.ts';
import { atr } from '../indicators/atr.ts';

/** Wilder's ATR of the bars, as the spec's `atr` indicator computes it. */
function atrColumn(bars: Bars, period: number): Float64Array {
  return atr(bars.high, bars.low, bars.close, period);
}

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
 * Reusable equity and position columns. Repeated runs on the same data (optimiser trials) pass the
 * previous result's columns back in: the run overwrites every element, and skips faulting in
 * fresh pages, which on small VMs costs more than the backtest itself.
 */
export interface OutputBuffers {
  equity: Float64Array;
  position: Int8Array;
  log: TradeLog;
}

/** A result whose `trades` objects are built from the log on first read. */
export function makeResult(time: Float64Array, equity: Float64Array, position: Int8Array, log: TradeLog, heldBars?: number): BacktestResult {
  let trades: Trade[] | null = null;
  return {
    equity, position, log,
    ...(heldBars === undefined ? {} : { heldBars }),
    get trades(): Trade[] {
      trades ??= log.toTrades(time);
      return trades;
    },
  };
}

/**
 * Executes signals bar by bar under DESIGN §4 (exact rules in docs/semantics.md).
 * One pass, no allocation per bar: only closed trades allocate.
 */
export function runBacktest(bars: Bars, signals: Uint8Array, opts: ExecutionOptions, into?: OutputBuffers): BacktestResult {
  const { time, open, high, low, close } = bars;
  const n = time.length;
  if (signals.length !== n) throw new Error(`signals have ${signals.length} bars, data has ${n}`);
  const equity = into?.equity.length === n ? into.equity : new Float64Array(n);
  const position = into?.position.length === n ? into.position : new Int8Array(n);
  const log = into?.log ?? new TradeLog();
  log.clear();
  if (n === 0) return makeResult(time, equity, position, log, 0);

  const stopFrac = opts.stopLossPct === null ? -1 : opts.stopLossPct / 100;
  const targetFrac = opts.takeProfitPct === null ? -1 : opts.takeProfitPct / 100;
  // ATR levels (spec v1.1): one column per run, computed before the loop, so no bar allocates.
  const { stopAtr, targetAtr } = opts;
  const stopCol = stopAtr === undefined ? null : atrColumn(bars, stopAtr.period);
  const targetCol = targetAtr === undefined ? null : targetAtr.period === stopAtr?.period ? stopCol : atrColumn(bars, targetAtr.period);
  const guarded = stopFrac > 0 || targetFrac > 0 || stopCol !== null || targetCol !== null;
  const book = new Book(log, opts.feesBps / 1e4, opts.slippageBps / 1e4, stopFrac, targetFrac, stopCol, stopAtr?.mult ?? NaN, targetCol, targetAtr?.mult ?? NaN);

  // Bars between events (an order to fill, or a bar whose range may touch a stop or target) need
  // only their close marked, so they run in tight loops; the book is touched only at events.
  let order = NONE;
  let t = 0;
  // Counted per run of bars, so metrics need not read the position column bar by bar.
  let held = 0;
  // The open an order fills at, read while scanning for the order (see below).
  let fillOpen = NaN;
  while (t < n) {
    if (order !== NONE) {
      const o = fillOpen;
      if (order === OPEN_LONG) { if (book.canEnter(t)) book.enter(1, o, t); }
      else if (order === OPEN_SHORT) { if (book.canEnter(t)) book.enter(-1, o, t); }
      else {
        const side = book.pos;
        book.exit(o, t, 'signal');
        if (order === REVERSE && book.canEnter(t)) book.enter(-side, o, t);
      }
      order = NONE;
    }
    if (guarded && book.pos !== 0) book.guard(open[t]!, high[t]!, low[t]!, t);
    const pos = book.pos;
    // The run ends at the first later bar with an event: an order decided at the previous close,
    // or (guarded, in a position) a range that reaches the stop or the target.
    let end = t + 1;
    if (pos === 0 || !guarded) {
      // The scan reads open along with the signals. Read only at the fill, one bar in thirty on a
      // busy strategy, open[end] is a cache miss per trade (a fifth of the run's time on 1M bars);
      // read in sequence, it streams in with the signals. `o` is local to the scan: a double
      // written in the loop to a variable that outlives it is boxed by V8 on every write.
      let o = NaN;
      while (end < n) {
        o = open[end]!;
        const s = signals[end - 1]!;
        if (s !== 0 && decideOrder(s, pos) !== NONE) break;
        end++;
      }
      fillOpen = o;
    } else {
      const lo = pos > 0 ? book.stopPx : book.targetPx;
      const hi = pos > 0 ? book.targetPx : book.stopPx;
      let o = NaN;
      while (end < n) {
        o = open[end]!;
        if (low[end]! <= lo || high[end]! >= hi) break;
        const s = signals[end - 1]!;
        if (s !== 0 && decideOrder(s, pos) !== NONE) break;
        end++;
      }
      fillOpen = o;
    }
    if (pos === 0) {
      const flat = book.flatEquity;
      for (let i = t; i < end; i++) {
        equity[i] = flat;
        position[i] = 0;
      }
    } else {
      held += end - t;
      const base = book.entryEquity;
      const exposure = pos * book.units;
      const entry = book.entryPrice;
      for (let i = t; i < end; i++) {
        equity[i] = base + exposure * (close[i]! - entry);
        position[i] = pos;
      }
    }
    if (end < n) order = decideOrder(signals[end - 1]!, pos);
    t = end;
  }
  if (book.pos !== 0) {
    book.exit(close[n - 1]!, n - 1, 'end');
    equity[n - 1] = book.flatEquity;
  }
  return makeResult(time, equity, position, log, held);
}
