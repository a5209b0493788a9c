import type { Bars } from '../data/bars.ts';
import {
  LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT,
  type BacktestResult, type ExecutionOptions, type ExitReason, type Trade,
} from './types.ts';

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
  const trades: Trade[] = [];
  if (n === 0) return { equity, position, trades };

  const fee = opts.feesBps / 1e4;
  const slip = opts.slippageBps / 1e4;
  const stopFrac = opts.stopLossPct === null ? -1 : opts.stopLossPct / 100;
  const targetFrac = opts.takeProfitPct === null ? -1 : opts.takeProfitPct / 100;
  const guarded = stopFrac > 0 || targetFrac > 0;

  let pos = 0; // 1 long, -1 short, 0 flat
  let flatEquity = 1;
  let units = 0;
  let entryPrice = 0;
  let entryEquity = 0; // equity right after the entry fee
  let equityBefore = 0; // equity before the entry, for the trade return
  let entryIndex = 0;
  let stopPx = 0;
  let targetPx = 0;

  const enter = (side: number, rawPrice: number, t: number): void => {
    const px = side > 0 ? rawPrice * (1 + slip) : rawPrice * (1 - slip);
    equityBefore = flatEquity;
    units = flatEquity / px;
    entryEquity = flatEquity - fee * units * px;
    entryPrice = px;
    entryIndex = t;
    pos = side;
    stopPx = stopFrac > 0 ? px * (1 - side * stopFrac) : NaN;
    targetPx = targetFrac > 0 ? px * (1 + side * targetFrac) : NaN;
  };

  const exit = (rawPrice: number, t: number, reason: ExitReason): void => {
    const px = pos > 0 ? rawPrice * (1 - slip) : rawPrice * (1 + slip);
    const after = entryEquity + pos * units * (px - entryPrice) - fee * units * px;
    trades.push({
      side: pos > 0 ? 'long' : 'short',
      entryIndex, exitIndex: t,
      entryTime: time[entryIndex]!, exitTime: time[t]!,
      entryPrice, exitPrice: px,
      return: after / equityBefore - 1,
      exitReason: reason,
    });
    flatEquity = after;
    pos = 0;
  };

  let order = NONE;
  for (let t = 0; t < n; t++) {
    if (order !== NONE) {
      const o = open[t]!;
      if (order === OPEN_LONG) enter(1, o, t);
      else if (order === OPEN_SHORT) enter(-1, o, t);
      else {
        const side = pos;
        exit(o, t, 'signal');
        if (order === REVERSE) enter(-side, o, t);
      }
      order = NONE;
    }
    if (guarded && pos !== 0) {
      const o = open[t]!;
      const h = high[t]!;
      const l = low[t]!;
      if (pos > 0) {
        if (l <= stopPx) exit(o <= stopPx ? o : stopPx, t, 'stop');
        else if (h >= targetPx) exit(o >= targetPx ? o : targetPx, t, 'target');
      } else {
        if (h >= stopPx) exit(o >= stopPx ? o : stopPx, t, 'stop');
        else if (l <= targetPx) exit(o <= targetPx ? o : targetPx, t, 'target');
      }
    }
    position[t] = pos;
    equity[t] = pos === 0 ? flatEquity : entryEquity + pos * units * (close[t]! - entryPrice);
    if (t < n - 1) order = decideOrder(signals[t]!, pos);
  }
  if (pos !== 0) {
    exit(close[n - 1]!, n - 1, 'end');
    equity[n - 1] = flatEquity;
  }
  return { equity, position, trades };
}
