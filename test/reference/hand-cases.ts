/**
 * Hand-checked backtest cases, one or more per rule of DESIGN §4 / docs/semantics.md.
 *
 * Every expected number below was worked out by hand; the comments show the arithmetic and the
 * code writes the same arithmetic as literal expressions (nothing here calls the reference or the
 * engine). Conventions used throughout:
 *   f = fees_bps/1e4, s = slippage_bps/1e4; a buy fills at raw·(1+s), a sell at raw·(1−s);
 *   entry with equity E at fill P: units u = E/P, E_entry = E − f·u·P = E·(1−f);
 *   long mark at x: E_entry + u·(x − P); short mark: E_entry + u·(P − x);
 *   exit at fill X: E_entry ± u·(X − P) − f·u·X; trade return = equity after exit ÷ equity before entry − 1.
 *   Times are spaced so that t_last − t_first is exactly `years` years of 365.25 days, hence
 *   bars_per_year = (N − 1)/years, and with years = 1: cagr = total_return, trades_per_year = trades.
 *   Indices are 0-based; a trade's entryIndex/exitIndex is the bar of the fill.
 */
import type { ExecutionOptions, ExitReason, Metrics, Side, Trade } from '../../src/engine/backtest/types.ts';
import type { BarRow, SignalRow } from './data.ts';
import { sig } from './data.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { makeSpec } from './specs.ts';

export interface HandCase {
  name: string;
  /** The rules of §4 this case pins down. */
  covers: string;
  bars: BarRow[];
  signals: SignalRow[];
  opts: ExecutionOptions;
  equity: number[];
  position: number[];
  trades: Trade[];
  metrics: Metrics;
}

const YEAR_MS = 365.25 * 86_400_000; // 31 557 600 000
const T0 = Date.UTC(2020, 0, 1);

/** Bars from [open, high, low, close] rows, spread evenly over exactly `years` years. */
function makeBars(ohlc: [number, number, number, number][], years = 1): BarRow[] {
  const n = ohlc.length;
  return ohlc.map(([open, high, low, close], i) => ({
    time: T0 + (i === n - 1 ? years * YEAR_MS : Math.round((i * years * YEAR_MS) / (n - 1))),
    open, high, low, close, volume: 1000,
  }));
}

function trade(
  bars: BarRow[], side: Side, entryIndex: number, exitIndex: number,
  entryPrice: number, exitPrice: number, ret: number, exitReason: ExitReason,
): Trade {
  return {
    side, entryIndex, exitIndex, entryTime: bars[entryIndex]!.time, exitTime: bars[exitIndex]!.time,
    entryPrice, exitPrice, return: ret, exitReason,
  };
}

const opts = (o: Partial<ExecutionOptions> = {}): ExecutionOptions =>
  ({ stopLossPct: null, takeProfitPct: null, feesBps: 0, slippageBps: 0, ...o });

// Plain arithmetic helpers for writing the hand-computed statistics.
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]): number => sum(xs) / xs.length;
/** Sample standard deviation, ddof 1. */
const sd1 = (xs: number[]): number => Math.sqrt(sum(xs.map((x) => (x - mean(xs)) ** 2)) / (xs.length - 1));
/** √(mean(min(r,0)²)) over all returns. */
const downside = (xs: number[]): number => Math.sqrt(sum(xs.map((x) => Math.min(x, 0) ** 2)) / xs.length);

export const HAND_CASES: HandCase[] = [];

// ---------------------------------------------------------------------------------------------
// A. Long entry and signal exit. f = s = 0.
{
  const bars = makeBars([
    [100, 101, 99, 100], // 0  long_entry → buy at open[1]
    [100, 103, 99, 102], // 1  fill 100, u = 1/100 = 0.01; E1 = 1 + 0.01·(102−100) = 1.02
    [102, 106, 101, 105], // 2  E2 = 1 + 0.01·5 = 1.05
    [105, 105, 100, 101], // 3  E3 = 1.01; long_exit → sell at open[4]
    [104, 104, 98, 99], // 4  exit 104: E = 1 + 0.01·4 = 1.04 (flat at the close)
    [99, 100, 98, 100], // 5  E5 = 1.04
  ]);
  // r = [0.02, 1.05/1.02−1 ≈ 0.029412, 1.01/1.05−1 ≈ −0.038095, 1.04/1.01−1 ≈ 0.029703, 0]
  // mean ≈ 0.008204, sd ≈ 0.026063, bars_per_year = 5 → sharpe ≈ 0.008204/0.026063·√5 ≈ 0.7039
  // downside = √(0.038095²/5) ≈ 0.017037 → sortino ≈ 0.008204/0.017037·√5 ≈ 1.0768
  // max drawdown: peak 1.05 (bar 2), trough 1.01 (bar 3) → 1 − 1.01/1.05 ≈ 0.038095
  const r = [0.02, 1.05 / 1.02 - 1, 1.01 / 1.05 - 1, 1.04 / 1.01 - 1, 0];
  HAND_CASES.push({
    name: 'A long entry, signal exit',
    covers: 'long entry at next open; long_exit closes at next open; mark to market; exposure',
    bars,
    signals: sig('L', '.', '.', 'l', '.', '.'),
    opts: opts(),
    equity: [1, 1.02, 1.05, 1.01, 1.04, 1.04],
    position: [0, 1, 1, 1, 0, 0],
    trades: [trade(bars, 'long', 1, 4, 100, 104, 0.04, 'signal')],
    metrics: {
      total_return: 0.04, cagr: 0.04, sharpe: (mean(r) / sd1(r)) * Math.sqrt(5),
      sortino: (mean(r) / downside(r)) * Math.sqrt(5), max_drawdown: 1 - 1.01 / 1.05,
      trades: 1, trades_per_year: 1, avg_trade_return: 0.04, win_rate: 1, profit_factor: null,
      exposure: 3 / 6, // bars 1, 2, 3
    },
  });
}

// ---------------------------------------------------------------------------------------------
// B. Short entry and signal exit; the short equity formula. f = s = 0.
{
  const bars = makeBars([
    [50, 51, 49, 50], // 0  short_entry → sell short at open[1]
    [50, 50, 47, 48], // 1  fill 50, u = 1/50 = 0.02; E1 = 1 + 0.02·(50−48) = 1.04
    [48, 49, 44, 45], // 2  E2 = 1 + 0.02·(50−45) = 1.10
    [45, 47, 44, 46], // 3  E3 = 1 + 0.02·4 = 1.08; short_exit → cover at open[4]
    [44, 45, 43, 44], // 4  exit 44: E = 1 + 0.02·(50−44) = 1.12
    [44, 46, 43, 45], // 5  flat: 1.12
  ]);
  // r = [0.04, 1.10/1.04−1 ≈ 0.057692, 1.08/1.10−1 ≈ −0.018182, 1.12/1.08−1 ≈ 0.037037, 0]
  const r = [0.04, 1.1 / 1.04 - 1, 1.08 / 1.1 - 1, 1.12 / 1.08 - 1, 0];
  HAND_CASES.push({
    name: 'B short entry, signal exit',
    covers: 'short entry/exit at next open; short equity E_entry + u·(P − x)',
    bars,
    signals: sig('S', '.', '.', 's', '.', '.'),
    opts: opts(),
    equity: [1, 1.04, 1.1, 1.08, 1.12, 1.12],
    position: [0, -1, -1, -1, 0, 0],
    trades: [trade(bars, 'short', 1, 4, 50, 44, 0.12, 'signal')],
    metrics: {
      total_return: 0.12, cagr: 0.12, sharpe: (mean(r) / sd1(r)) * Math.sqrt(5),
      sortino: (mean(r) / downside(r)) * Math.sqrt(5), max_drawdown: 1 - 1.08 / 1.1,
      trades: 1, trades_per_year: 1, avg_trade_return: 0.12, win_rate: 1, profit_factor: null,
      exposure: 3 / 6,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// C. Reversal long → short at one fill, both legs paying the fee. f = 10 bps = 0.001, s = 0.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 104, 100, 104], // 1  buy 100: u1 = 0.01, E_entry = 1·0.999 = 0.999; E1 = 0.999 + 0.01·4 = 1.039
    [104, 110, 104, 110], // 2  E2 = 0.999 + 0.01·10 = 1.099; long_exit AND short_entry → reverse at open[3]
    [110, 110, 100, 100], // 3  exit 110: 0.999 + 0.01·10 − 0.001·0.01·110 = 1.0979 (trade 1: +0.0979)
    //                           short at 110: u2 = 1.0979/110 ≈ 0.0099809, E_entry = 1.0979 − 0.001·u2·110 = 1.0968021
    //                           E3 = 1.0968021 + u2·(110−100) ≈ 1.1966112
    [100, 101, 95, 96], // 4  E4 = 1.0968021 + u2·14 ≈ 1.2365348; short_exit → cover at open[5]
    [95, 96, 94, 95], // 5  cover 95: 1.0968021 + u2·15 − 0.001·u2·95 ≈ 1.2455673
    [95, 96, 94, 96], // 6  flat
  ]);
  const u2 = 1.0979 / 110;
  const x2 = 1.0968021 + u2 * 15 - 0.001 * u2 * 95;
  const equity = [1, 1.039, 1.099, 1.0968021 + u2 * 10, 1.0968021 + u2 * 14, x2, x2];
  const r = [1.039 - 1, 1.099 / 1.039 - 1, equity[3]! / 1.099 - 1, equity[4]! / equity[3]! - 1, x2 / equity[4]! - 1, 0];
  // All six returns are ≥ 0 → sortino 0; equity never falls → max drawdown 0.
  const ret2 = x2 / 1.0979 - 1; // ≈ 0.134500
  HAND_CASES.push({
    name: 'C reversal long→short with fees',
    covers: 'long_exit+short_entry reverses at the same fill; fee on both legs; new units = post-exit equity / fill',
    bars,
    signals: sig('L', '.', 'lS', '.', 's', '.', '.'),
    opts: opts({ feesBps: 10 }),
    equity,
    position: [0, 1, 1, -1, -1, 0, 0],
    trades: [
      trade(bars, 'long', 1, 3, 100, 110, 0.0979, 'signal'),
      trade(bars, 'short', 3, 5, 110, 95, ret2, 'signal'),
    ],
    metrics: {
      total_return: x2 - 1, cagr: x2 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(6), sortino: 0,
      max_drawdown: 0, trades: 2, trades_per_year: 2, avg_trade_return: (0.0979 + ret2) / 2,
      win_rate: 1, profit_factor: null, exposure: 4 / 7,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// D. Reversal short → long on long_entry alone; end-of-data exit after fees. f = 20 bps = 0.002.
{
  const bars = makeBars([
    [200, 200, 200, 200], // 0  short_entry
    [200, 200, 180, 190], // 1  short 200: u1 = 0.005, E_entry = 0.998; E1 = 0.998 + 0.005·10 = 1.048
    [190, 192, 170, 180], // 2  E2 = 0.998 + 0.005·20 = 1.098; long_entry while short → reverse at open[3]
    [180, 190, 178, 188], // 3  cover 180: 0.998 + 0.005·20 − 0.002·0.005·180 = 1.0962 (trade 1: +0.0962)
    //                           long at 180: u2 = 1.0962/180 = 0.00609, E_entry = 1.0962·0.998 = 1.0940076
    //                           E3 = 1.0940076 + 0.00609·8 = 1.1427276
    [188, 195, 185, 194], // 4  E4 = 1.0940076 + 0.00609·14 = 1.1792676
    [194, 196, 190, 192], // 5  last bar: end exit at 192: 1.0940076 + 0.00609·12 − 0.002·0.00609·192 = 1.16474904
  ]);
  const e5 = 1.0940076 + 0.00609 * 12 - 0.002 * 0.00609 * 192; // 1.16474904
  const ret2 = e5 / 1.0962 - 1; // ≈ 0.0625333
  const equity = [1, 1.048, 1.098, 1.1427276, 1.1792676, e5];
  // r ≈ [0.048, 0.047710, 0.040736, 0.031976, −0.012306]
  const r = [0.048, 1.098 / 1.048 - 1, 1.1427276 / 1.098 - 1, 1.1792676 / 1.1427276 - 1, e5 / 1.1792676 - 1];
  HAND_CASES.push({
    name: 'D reversal short→long, end exit with fee',
    covers: 'long_entry while short reverses; end exit at last close after fee, reason end; last bar counts as exposed',
    bars,
    signals: sig('S', '.', 'L', '.', '.', '.'),
    opts: opts({ feesBps: 20 }),
    equity,
    position: [0, -1, -1, 1, 1, 1],
    trades: [
      trade(bars, 'short', 1, 3, 200, 180, 0.0962, 'signal'),
      trade(bars, 'long', 3, 5, 180, 192, ret2, 'end'),
    ],
    metrics: {
      total_return: e5 - 1, cagr: e5 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(5),
      sortino: (mean(r) / downside(r)) * Math.sqrt(5), max_drawdown: 1 - e5 / 1.1792676,
      trades: 2, trades_per_year: 2, avg_trade_return: (0.0962 + ret2) / 2, win_rate: 1,
      profit_factor: null, exposure: 5 / 6,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// E. Both entries fire while flat → long wins; entries/exits that don't apply are ignored.
{
  const bars = makeBars([
    [10, 10, 10, 10], // 0  long_entry AND short_entry while flat → long
    [10, 11, 10, 11], // 1  buy 10: u = 0.1; E1 = 1 + 0.1·1 = 1.1; long_entry (already long) and short_exit: ignored
    [11, 12, 11, 12], // 2  E2 = 1.2; long_exit
    [12, 12, 11, 11], // 3  sell 12: 1 + 0.1·2 = 1.2
    [11, 11, 10, 10], // 4  flat 1.2
  ]);
  const r = [0.1, 1.2 / 1.1 - 1, 0, 0];
  HAND_CASES.push({
    name: 'E both entries while flat → long',
    covers: 'long wins when long_entry and short_entry fire together; long_entry/short_exit while long do nothing',
    bars,
    signals: sig('LS', 'Ls', 'l', '.', '.'),
    opts: opts(),
    equity: [1, 1.1, 1.2, 1.2, 1.2],
    position: [0, 1, 1, 0, 0],
    trades: [trade(bars, 'long', 1, 3, 10, 12, 0.2, 'signal')],
    metrics: {
      total_return: 0.2, cagr: 0.2, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4), sortino: 0,
      max_drawdown: 0, trades: 1, trades_per_year: 1, avg_trade_return: 0.2, win_rate: 1,
      profit_factor: null, exposure: 2 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// F. A signal on the last bar is ignored; the open position exits at the last close, reason 'end'.
{
  const bars = makeBars([
    [20, 20, 20, 20], // 0
    [20, 21, 19, 20], // 1  long_entry
    [20, 22, 20, 21], // 2  buy 20: u = 0.05; E2 = 1 + 0.05·1 = 1.05
    [21, 23, 21, 22], // 3  E3 = 1.10
    [22, 24, 22, 23], // 4  last bar: long_exit + short_entry here are ignored; end exit at 23 → 1.15
  ]);
  const r = [0, 0.05, 1.1 / 1.05 - 1, 1.15 / 1.1 - 1];
  HAND_CASES.push({
    name: 'F last-bar signal ignored, end exit',
    covers: 'signal on the last bar ignored; end exit at last close with reason end; last bar exposed',
    bars,
    signals: sig('.', 'L', '.', '.', 'lS'),
    opts: opts(),
    equity: [1, 1, 1.05, 1.1, 1.15],
    position: [0, 0, 1, 1, 1],
    trades: [trade(bars, 'long', 2, 4, 20, 23, 0.15, 'end')],
    metrics: {
      total_return: 0.15, cagr: 0.15, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4), sortino: 0,
      max_drawdown: 0, trades: 1, trades_per_year: 1, avg_trade_return: 0.15, win_rate: 1,
      profit_factor: null, exposure: 3 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// G. Long stop hit intrabar; the stop bar's signals are evaluated from flat (re-entry). stop 5%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 102, 99, 101], // 1  buy 100, stop = 100·0.95 = 95; low 99 > 95; E1 = 1 + 0.01·1 = 1.01
    [101, 101, 94, 96], // 2  low 94 ≤ 95, open 101 > 95 → exit at 95: E = 1 + 0.01·(95−100) = 0.95
    //                          flat at this close, so its long_entry opens a new long at open[3]
    [96, 97, 95, 96], // 3  buy 96: u = 0.95/96, stop 91.2 (never hit); E3 = 0.95
    [96, 98, 96, 97], // 4  E4 = 0.95 + (0.95/96)·1
    [97, 98, 96, 98], // 5  end exit at 98: 0.95 + (0.95/96)·2 = 0.95·98/96; trade 2 return = 98/96 − 1 = 1/48
  ]);
  const e4 = 0.95 + 0.95 / 96;
  const e5 = 0.95 + (0.95 / 96) * 2;
  const r = [0.01, 0.95 / 1.01 - 1, 0, e4 / 0.95 - 1, e5 / e4 - 1];
  HAND_CASES.push({
    name: 'G long stop intrabar, re-entry on the stop bar',
    covers: 'long stop fills at the level; a stopped position is flat at that close and the bar\'s signals act from flat',
    bars,
    signals: sig('L', '.', 'L', '.', '.', '.'),
    opts: opts({ stopLossPct: 5 }),
    equity: [1, 1.01, 0.95, 0.95, e4, e5],
    position: [0, 1, 0, 1, 1, 1],
    trades: [
      trade(bars, 'long', 1, 2, 100, 95, -0.05, 'stop'),
      trade(bars, 'long', 3, 5, 96, 98, 2 / 96, 'end'),
    ],
    metrics: {
      total_return: e5 - 1, cagr: e5 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(5),
      sortino: (mean(r) / downside(r)) * Math.sqrt(5), max_drawdown: 1 - 0.95 / 1.01,
      trades: 2, trades_per_year: 2, avg_trade_return: (-0.05 + 2 / 96) / 2, win_rate: 0.5,
      profit_factor: 2 / 96 / 0.05, // Σ wins / |Σ losses| = (1/48)/0.05 ≈ 0.416667
      exposure: 4 / 6,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// H. Long stop with a gap through it: fills at the open. stop 5%.
{
  const bars = makeBars([
    [50, 50, 50, 50], // 0  long_entry
    [50, 51, 49, 50], // 1  buy 50: u = 0.02, stop 47.5; E1 = 1
    [45, 46, 44, 45], // 2  open 45 ≤ 47.5 → exit at the open 45: E = 1 + 0.02·(45−50) = 0.9
    [45, 46, 44, 45], // 3
    [45, 46, 44, 46], // 4
  ]);
  const r = [0, -0.1, 0, 0];
  HAND_CASES.push({
    name: 'H long stop gap-through',
    covers: 'a long stop gapped through fills at the open, not the level',
    bars,
    signals: sig('L', '.', '.', '.', '.'),
    opts: opts({ stopLossPct: 5 }),
    equity: [1, 1, 0.9, 0.9, 0.9],
    position: [0, 1, 0, 0, 0],
    trades: [trade(bars, 'long', 1, 2, 50, 45, -0.1, 'stop')],
    metrics: {
      total_return: -0.1, cagr: -0.1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4),
      sortino: (mean(r) / downside(r)) * Math.sqrt(4), // = −0.025/√(0.01/4)·2 = −1
      max_drawdown: 0.1, trades: 1, trades_per_year: 1, avg_trade_return: -0.1, win_rate: 0,
      profit_factor: 0, // Σ wins = 0 over |Σ losses| = 0.1
      exposure: 1 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// I. Short stop with a gap through it. stop 3%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  short_entry
    [100, 102, 99, 101], // 1  short 100: u = 0.01, stop 103 (high 102 < 103); E1 = 1 + 0.01·(100−101) = 0.99
    [108, 110, 107, 109], // 2  open 108 ≥ 103 → cover at 108: E = 1 + 0.01·(100−108) = 0.92
    [109, 110, 108, 109], // 3
    [109, 110, 108, 110], // 4
  ]);
  const r = [-0.01, 0.92 / 0.99 - 1, 0, 0];
  HAND_CASES.push({
    name: 'I short stop gap-through',
    covers: 'a short stop (entry·1.03) gapped through fills at the open',
    bars,
    signals: sig('S', '.', '.', '.', '.'),
    opts: opts({ stopLossPct: 3 }),
    equity: [1, 0.99, 0.92, 0.92, 0.92],
    position: [0, -1, 0, 0, 0],
    trades: [trade(bars, 'short', 1, 2, 100, 108, -0.08, 'stop')],
    metrics: {
      total_return: 0.92 - 1, cagr: 0.92 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4),
      sortino: (mean(r) / downside(r)) * Math.sqrt(4), max_drawdown: 0.08, trades: 1,
      trades_per_year: 1, avg_trade_return: -0.08, win_rate: 0, profit_factor: 0, exposure: 1 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// J. Short target hit intrabar. target 10%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  short_entry
    [100, 101, 95, 96], // 1  short 100: u = 0.01, target 90 (low 95 > 90); E1 = 1 + 0.01·4 = 1.04
    [96, 97, 89, 91], // 2  low 89 ≤ 90, open 96 > 90 → cover at 90: E = 1 + 0.01·10 = 1.1
    [91, 92, 90, 91], // 3
    [91, 92, 90, 92], // 4
  ]);
  const r = [0.04, 1.1 / 1.04 - 1, 0, 0];
  HAND_CASES.push({
    name: 'J short target intrabar',
    covers: 'short target (entry·0.90) fills at the level when low ≤ target',
    bars,
    signals: sig('S', '.', '.', '.', '.'),
    opts: opts({ takeProfitPct: 10 }),
    equity: [1, 1.04, 1.1, 1.1, 1.1],
    position: [0, -1, 0, 0, 0],
    trades: [trade(bars, 'short', 1, 2, 100, 90, 0.1, 'target')],
    metrics: {
      total_return: 0.1, cagr: 0.1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4), sortino: 0,
      max_drawdown: 0, trades: 1, trades_per_year: 1, avg_trade_return: 0.1, win_rate: 1,
      profit_factor: null, exposure: 1 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// K. Long target with a gap through it: fills at the open. target 10%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 105, 99, 104], // 1  buy 100, target 110 (high 105 < 110); E1 = 1.04
    [115, 118, 113, 116], // 2  open 115 ≥ 110 → sell at 115: E = 1 + 0.01·15 = 1.15
    [116, 117, 115, 116], // 3
    [116, 117, 115, 117], // 4
  ]);
  const r = [0.04, 1.15 / 1.04 - 1, 0, 0];
  HAND_CASES.push({
    name: 'K long target gap-through',
    covers: 'a long target gapped through fills at the open (better than the level)',
    bars,
    signals: sig('L', '.', '.', '.', '.'),
    opts: opts({ takeProfitPct: 10 }),
    equity: [1, 1.04, 1.15, 1.15, 1.15],
    position: [0, 1, 0, 0, 0],
    trades: [trade(bars, 'long', 1, 2, 100, 115, 0.15, 'target')],
    metrics: {
      total_return: 0.15, cagr: 0.15, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4), sortino: 0,
      max_drawdown: 0, trades: 1, trades_per_year: 1, avg_trade_return: 0.15, win_rate: 1,
      profit_factor: null, exposure: 1 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// L. Stop and target both touched in one bar → the stop wins (short, then long). stop 5%, target 5%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  short_entry
    [100, 102, 98, 101], // 1  short 100: stop 105, target 95, neither touched; E1 = 0.99
    [100, 106, 94, 100], // 2  high 106 ≥ 105 and low 94 ≤ 95 → stop: cover at 105: E = 1 − 0.01·5 = 0.95
    //                          flat; long_entry → buy at open[3]
    [100, 102, 98, 100], // 3  buy 100: u = 0.0095, stop 95, target 105, neither touched; E3 = 0.95
    [100, 106, 94, 100], // 4  both touched → stop at 95: E = 0.95 + 0.0095·(95−100) = 0.9025
    [100, 101, 99, 100], // 5
  ]);
  const r = [-0.01, 0.95 / 0.99 - 1, 0, 0.9025 / 0.95 - 1, 0];
  HAND_CASES.push({
    name: 'L stop and target in the same bar',
    covers: 'stop wins when both stop and target are touched in one bar (short and long)',
    bars,
    signals: sig('S', '.', 'L', '.', '.', '.'),
    opts: opts({ stopLossPct: 5, takeProfitPct: 5 }),
    equity: [1, 0.99, 0.95, 0.95, 0.9025, 0.9025],
    position: [0, -1, 0, 1, 0, 0],
    trades: [
      trade(bars, 'short', 1, 2, 100, 105, -0.05, 'stop'),
      trade(bars, 'long', 3, 4, 100, 95, -0.05, 'stop'),
    ],
    metrics: {
      total_return: 0.9025 - 1, cagr: 0.9025 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(5),
      sortino: (mean(r) / downside(r)) * Math.sqrt(5), max_drawdown: 1 - 0.9025, trades: 2,
      trades_per_year: 2, avg_trade_return: -0.05, win_rate: 0, profit_factor: 0, exposure: 2 / 6,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// M. Stop, and then target, on the fill bar itself. stop 2%, target 2%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 101, 97, 99], // 1  buy 100: stop 98, target 102; low 97 ≤ 98 (open 100 > 98) → sell at 98 on
    //                        the fill bar: E1 = 1 − 0.01·2 = 0.98. Flat at the close; short_entry here.
    [99, 100, 96, 97], // 2  short 99: u = 0.98/99, stop 100.98 (high 100: no), target 99·0.98 = 97.02;
    //                        low 96 ≤ 97.02 → cover at 97.02: E2 = 0.98 + (0.98/99)·1.98 = 0.98 + 0.0196 = 0.9996
    [97, 98, 96, 97], // 3
    [97, 98, 96, 97], // 4
  ]);
  const r = [-0.02, 0.9996 / 0.98 - 1, 0, 0];
  HAND_CASES.push({
    name: 'M stop and target on the fill bar',
    covers: 'stops/targets are checked on the fill bar; a position opened and closed within a bar is never exposed at a close',
    bars,
    signals: sig('L', 'S', '.', '.', '.'),
    opts: opts({ stopLossPct: 2, takeProfitPct: 2 }),
    equity: [1, 0.98, 0.9996, 0.9996, 0.9996],
    position: [0, 0, 0, 0, 0],
    trades: [
      trade(bars, 'long', 1, 1, 100, 98, -0.02, 'stop'),
      trade(bars, 'short', 2, 2, 99, 97.02, 0.9996 / 0.98 - 1, 'target'), // = 0.02
    ],
    metrics: {
      total_return: 0.9996 - 1, cagr: 0.9996 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4),
      sortino: (mean(r) / downside(r)) * Math.sqrt(4), max_drawdown: 0.02, trades: 2,
      trades_per_year: 2, avg_trade_return: (-0.02 + (0.9996 / 0.98 - 1)) / 2, win_rate: 0.5,
      profit_factor: (0.9996 / 0.98 - 1) / 0.02, exposure: 0,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// N. Fees and slippage at every fill: signal entry, stop, signal entry (short), signal exit,
//    and the end exit. f = 10 bps = 0.001, s = 10 bps = 0.001, stop 5%.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 102, 99, 101], // 1  buy 100·1.001 = 100.1, u1 = 1/100.1, E_entry = 0.999, stop 100.1·0.95 = 95.095
    //                          E1 = 0.999 + (101 − 100.1)/100.1 ≈ 1.007991
    [101, 101, 95, 96], // 2  low 95 ≤ 95.095 → raw 95.095, sell fill 95.095·0.999 = 94.999905
    //                          X1 = 0.999 + (94.999905 − 100.1)/100.1 − 0.001·94.999905/100.1
    //                             = 0.999 − 0.05095 − 0.00094905 = 0.94710095 (trade 1: −0.05289905)
    //                          flat; short_entry
    [96, 97, 94, 95], // 3  sell short 96·0.999 = 95.904, u2 = X1/95.904, E_entry2 = X1·0.999, stop 100.6992
    //                          E3 = E_entry2 + u2·(95.904 − 95)
    [95, 96, 93, 94], // 4  E4 = E_entry2 + u2·1.904
    [94, 95, 92, 93], // 5  E5 = E_entry2 + u2·2.904; short_exit
    [92, 93, 91, 92], // 6  cover at 92·1.001 = 92.092: X2 = E_entry2 + u2·(95.904 − 92.092) − 0.001·u2·92.092
    //                          flat at the close (E6 = X2); long_entry
    [92, 94, 92, 93], // 7  buy 92.092, u3 = X2/92.092, E_entry3 = X2·0.999 (stop 87.4874: no);
    //                          last bar: end exit, sell 93·0.999 = 92.907:
    //                          X3 = E_entry3 + u3·(92.907 − 92.092) − 0.001·u3·92.907
  ]);
  const x1 = 0.94710095;
  const u2 = x1 / 95.904;
  const ee2 = x1 * 0.999;
  const x2 = ee2 + u2 * (95.904 - 92.092) - 0.001 * u2 * 92.092;
  const u3 = x2 / 92.092;
  const x3 = x2 * 0.999 + u3 * (92.907 - 92.092) - 0.001 * u3 * 92.907;
  const equity = [1, 0.999 + 0.9 / 100.1, x1, ee2 + u2 * 0.904, ee2 + u2 * 1.904, ee2 + u2 * 2.904, x2, x3];
  const r = equity.slice(1).map((e, i) => e / equity[i]! - 1);
  const rets = [x1 - 1, x2 / x1 - 1, x3 / x2 - 1]; // ≈ [−0.052899, +0.036790, +0.006850]
  HAND_CASES.push({
    name: 'N fees and slippage at every fill',
    covers: 'slippage against the trader on signal entries/exits, stops and the end exit; fee at every fill',
    bars,
    signals: sig('L', '.', 'S', '.', '.', 's', 'L', '.'),
    opts: opts({ feesBps: 10, slippageBps: 10, stopLossPct: 5 }),
    equity,
    position: [0, 1, 0, -1, -1, -1, 0, 1],
    trades: [
      trade(bars, 'long', 1, 2, 100.1, 94.999905, rets[0]!, 'stop'),
      trade(bars, 'short', 3, 6, 95.904, 92.092, rets[1]!, 'signal'),
      trade(bars, 'long', 7, 7, 92.092, 92.907, rets[2]!, 'end'),
    ],
    metrics: {
      total_return: x3 - 1, cagr: x3 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(7),
      sortino: (mean(r) / downside(r)) * Math.sqrt(7),
      max_drawdown: 1 - x1 / equity[1]!, // peak at bar 1, trough at bar 2 (≈ 0.060407)
      trades: 3, trades_per_year: 3, avg_trade_return: mean(rets), win_rate: 2 / 3,
      profit_factor: (rets[1]! + rets[2]!) / -rets[0]!, exposure: 5 / 8,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// O. Slippage on targets: a long target intrabar, then a short target gapped through. s = 20 bps.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 103, 99, 102], // 1  buy 100·1.002 = 100.2, u = 1/100.2, target 100.2·1.04 = 104.208 (high 103: no)
    //                          E1 = 1 + 1.8/100.2
    [102, 105, 101, 104], // 2  high 105 ≥ 104.208, open below → raw 104.208, sell 104.208·0.998 = 103.999584
    //                          X1 = 1 + 3.799584/100.2 (trade 1 return 3.799584/100.2 ≈ 0.037920); short_entry
    [100, 101, 98, 99], // 3  short 100·0.998 = 99.8, u2 = X1/99.8, target 99.8·0.96 = 95.808; E3 = X1 + u2·0.8
    [99, 99, 96, 97], // 4  low 96 > 95.808; E4 = X1 + u2·2.8
    [94, 95, 93, 94], // 5  open 94 ≤ 95.808 → raw 94, buy 94·1.002 = 94.188: X2 = X1 + u2·(99.8 − 94.188)
    [94, 95, 93, 94], // 6
    [94, 95, 93, 95], // 7
  ]);
  const x1 = 1 + 3.799584 / 100.2;
  const u2 = x1 / 99.8;
  const x2 = x1 + u2 * 5.612;
  const equity = [1, 1 + 1.8 / 100.2, x1, x1 + u2 * 0.8, x1 + u2 * 2.8, x2, x2, x2];
  const r = equity.slice(1).map((e, i) => e / equity[i]! - 1);
  const rets = [3.799584 / 100.2, 5.612 / 99.8];
  HAND_CASES.push({
    name: 'O targets with slippage',
    covers: 'slippage on a long target at the level and on a short target gapped through (at the open)',
    bars,
    signals: sig('L', '.', 'S', '.', '.', '.', '.', '.'),
    opts: opts({ slippageBps: 20, takeProfitPct: 4 }),
    equity,
    position: [0, 1, 0, -1, -1, 0, 0, 0],
    trades: [
      trade(bars, 'long', 1, 2, 100.2, 103.999584, rets[0]!, 'target'),
      trade(bars, 'short', 3, 5, 99.8, 94.188, rets[1]!, 'target'),
    ],
    metrics: {
      total_return: x2 - 1, cagr: x2 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(7), sortino: 0,
      max_drawdown: 0, trades: 2, trades_per_year: 2, avg_trade_return: mean(rets), win_rate: 1,
      profit_factor: null, exposure: 3 / 8,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// P. A reversal with slippage: both legs fill at the same slipped price. s = 10 bps, f = 0.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 100, 100, 100], // 1  buy 100.1, u = 1/100.1; E1 = 1 − 0.1/100.1; short_entry → reverse
    [110, 110, 110, 110], // 2  sell 110·0.999 = 109.89 (exit and new short): X1 = 1 + 9.79/100.1
    //                          u2 = X1/109.89; E2 = X1 + u2·(109.89 − 110) = X1·(1 − 0.11/109.89)
    [100, 100, 100, 100], // 3  E3 = X1·(1 + 9.89/109.89)
    [100, 100, 100, 100], // 4  end: buy 100.1 → X2 = X1·(1 + 9.79/109.89)
  ]);
  const x1 = 1 + 9.79 / 100.1;
  const x2 = x1 * (1 + 9.79 / 109.89);
  const equity = [1, 1 - 0.1 / 100.1, x1 * (1 - 0.11 / 109.89), x1 * (1 + 9.89 / 109.89), x2];
  const r = equity.slice(1).map((e, i) => e / equity[i]! - 1);
  const rets = [9.79 / 100.1, 9.79 / 109.89];
  HAND_CASES.push({
    name: 'P reversal with slippage',
    covers: 'a reversal\'s exit and entry share one fill price, slipped once in the direction of the order',
    bars,
    signals: sig('L', 'S', '.', '.', '.'),
    opts: opts({ slippageBps: 10 }),
    equity,
    position: [0, 1, -1, -1, -1],
    trades: [
      trade(bars, 'long', 1, 2, 100.1, 109.89, rets[0]!, 'signal'),
      trade(bars, 'short', 2, 4, 109.89, 100.1, rets[1]!, 'end'),
    ],
    metrics: {
      total_return: x2 - 1, cagr: x2 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(4),
      sortino: (mean(r) / downside(r)) * Math.sqrt(4), max_drawdown: 0.1 / 100.1, trades: 2,
      trades_per_year: 2, avg_trade_return: mean(rets), win_rate: 1, profit_factor: null, exposure: 4 / 5,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Q. Zero trades: the only signals are on the last bar.
{
  const bars = makeBars([
    [10, 11, 9, 10],
    [10, 12, 9, 11],
    [11, 12, 10, 10],
    [10, 11, 9, 9],
    [9, 10, 8, 10], // last bar: long_entry + short_entry ignored
  ]);
  HAND_CASES.push({
    name: 'Q zero trades',
    covers: 'no trades: all-zero metrics, sharpe 0 (std 0), sortino 0, profit_factor null',
    bars,
    signals: sig('.', '.', '.', '.', 'LS'),
    opts: opts({ feesBps: 10, slippageBps: 10, stopLossPct: 1, takeProfitPct: 1 }),
    equity: [1, 1, 1, 1, 1],
    position: [0, 0, 0, 0, 0],
    trades: [],
    metrics: {
      total_return: 0, cagr: 0, sharpe: 0, sortino: 0, max_drawdown: 0, trades: 0,
      trades_per_year: 0, avg_trade_return: 0, win_rate: 0, profit_factor: null, exposure: 0,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// R. Constant returns: std 0 → sharpe 0 (not ±∞); no negative return → sortino 0; two years.
{
  const bars = makeBars([
    [1, 1, 1, 1], // 0  long_entry
    [1, 2, 1, 2], // 1  buy 1: u = 1; E1 = 1 + 1·(2−1) = 2
    [2, 4, 2, 4], // 2  E2 = 4
    [4, 8, 4, 8], // 3  end exit at 8: E3 = 8
  ], 2);
  // r = [1, 1, 1]: mean 1, std 0 → sharpe 0. years = 2 → cagr = 8^(1/2) − 1, trades_per_year = 1/2.
  HAND_CASES.push({
    name: 'R constant returns over two years',
    covers: 'sharpe 0 when std = 0; sortino 0 with no negative return; cagr and trades_per_year with years = 2',
    bars,
    signals: sig('L', '.', '.', '.'),
    opts: opts(),
    equity: [1, 2, 4, 8],
    position: [0, 1, 1, 1],
    trades: [trade(bars, 'long', 1, 3, 1, 8, 7, 'end')],
    metrics: {
      total_return: 7, cagr: Math.sqrt(8) - 1, sharpe: 0, sortino: 0, max_drawdown: 0, trades: 1,
      trades_per_year: 0.5, avg_trade_return: 7, win_rate: 1, profit_factor: null, exposure: 3 / 4,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// T. A touch exactly at the level counts (low ≤ stop, high ≥ target; short: high ≥ stop, low ≤ target).
//    stop 50%, target 25%: with these powers of two every level is exact in floating point.
{
  const bars = makeBars([
    [100, 100, 100, 100], // 0  long_entry
    [100, 110, 90, 105], // 1  buy 100: stop 50, target 125, neither touched; E1 = 1 + 0.01·5 = 1.05
    [110, 125, 100, 120], // 2  high 125 = target → sell 125: E = 1 + 0.01·25 = 1.25; short_entry
    [100, 150, 100, 120], // 3  short 100: u = 0.0125, stop 150, target 75; high 150 = stop → cover 150:
    //                          E = 1.25 + 0.0125·(100 − 150) = 0.625
    [120, 121, 119, 120], // 4  flat; long_entry
    [100, 110, 50, 60], // 5  buy 100: u = 0.00625, stop 50; low 50 = stop → sell 50: E = 0.625 − 0.00625·50 = 0.3125
    //                          short_entry
    [100, 100, 75, 80], // 6  short 100: u = 0.003125, target 75; low 75 = target → cover 75: E = 0.3125 + 0.003125·25 = 0.390625
    [80, 81, 79, 80], // 7
  ]);
  const r = [0.05, 1.25 / 1.05 - 1, -0.5, 0, -0.5, 0.25, 0];
  HAND_CASES.push({
    name: 'T touches exactly at the level',
    covers: 'a bar that reaches the stop/target level exactly triggers it (≤ / ≥), long and short, on and after the fill bar',
    bars,
    signals: sig('L', '.', 'S', '.', 'L', 'S', '.', '.'),
    opts: opts({ stopLossPct: 50, takeProfitPct: 25 }),
    equity: [1, 1.05, 1.25, 0.625, 0.625, 0.3125, 0.390625, 0.390625],
    position: [0, 1, 0, 0, 0, 0, 0, 0],
    trades: [
      trade(bars, 'long', 1, 2, 100, 125, 0.25, 'target'),
      trade(bars, 'short', 3, 3, 100, 150, -0.5, 'stop'),
      trade(bars, 'long', 5, 5, 100, 50, -0.5, 'stop'),
      trade(bars, 'short', 6, 6, 100, 75, 0.25, 'target'),
    ],
    metrics: {
      total_return: 0.390625 - 1, cagr: 0.390625 - 1, sharpe: (mean(r) / sd1(r)) * Math.sqrt(7),
      sortino: (mean(r) / downside(r)) * Math.sqrt(7),
      max_drawdown: 1 - 0.3125 / 1.25, // = 0.75
      trades: 4, trades_per_year: 4, avg_trade_return: (0.25 - 0.5 - 0.5 + 0.25) / 4, win_rate: 0.5,
      profit_factor: 0.5 / 1, exposure: 1 / 8,
    },
  });
}

// =============================================================================================
// Signal evaluation by hand (docs/semantics.md "Signals"): Kleene logic, warm-up, lags, crosses.

export interface HandSignalCase {
  name: string;
  covers: string;
  spec: Spec;
  bars: BarRow[];
  /** Expected firing per rule, one letter per bar: T fires, F does not. */
  expected: { longEntry: string; longExit: string; shortEntry: string; shortExit: string };
}

// closes 1 3 2 4 6 5 7 3; open = close, high = close + 0.5, low = close − 0.5.
// s = sma(3) of close = [U, U, 2, 3, 4, 5, 6, 5]
const SIGNAL_BARS = makeBars([1, 3, 2, 4, 6, 5, 7, 3].map((c): [number, number, number, number] => [c, c + 0.5, c - 0.5, c]));
const SMA3 = { s: { fn: 'sma' as const, period: 3 } };

export const HAND_SIGNAL_CASES: HandSignalCase[] = [
  {
    name: 'S1 not / crosses / lags / any / all',
    covers: 'not over a defined comparison; crosses_above; a lag before the first bar; any/all with undefined parts',
    spec: makeSpec({
      indicators: SMA3,
      rules: {
        // close > s: U U F T T F T F → not: U U T F F T F T
        long_entry: { not: ['close', '>', 's'] },
        // t2: s[1] undefined → U; t3: 4>3 and 2≤2 → T; t4: 4≤3 no; t5: 5>5 no; t6: 7>6 and 5≤5 → T; t7: 3>5 no
        long_exit: ['close', 'crosses_above', 's'],
        // close[2] > 5: U U F F F F T F;  s < 2.5: U U T F F F F F → any: U U T F F F T F
        short_entry: { any: [['close[2]', '>', 5], ['s', '<', 2.5]] },
        // close < 5: T T T T F F F T;  s[1] > 0: U U U T T T T T → all: U U U T F F F T → not: U U U F T T T F
        short_exit: { not: { all: [['close', '<', 5], ['s[1]', '>', 0]] } },
      },
    }),
    bars: SIGNAL_BARS,
    expected: { longEntry: 'FFTFFTFT', longExit: 'FFFTFFTF', shortEntry: 'FFTFFFTF', shortExit: 'FFFFTTTF' },
  },
  {
    name: 'S2 Kleene during warm-up',
    covers: 'all[F,U] = F so not fires in warm-up; any[T,U] = T; not over crosses; crosses_below with a lagged operand',
    spec: makeSpec({
      indicators: SMA3,
      rules: {
        // close > 100 is F everywhere → all = F even while s is undefined → not: T everywhere
        long_entry: { not: { all: [['close', '>', 100], ['s', '>', 0]] } },
        // close > 0 is T everywhere → any = T even while s is undefined
        long_exit: { any: [['close', '>', 0], ['s', '>', 100]] },
        // close crosses_above 2.5: t1 T (3>2.5, 1≤2.5), t2 F, t3 T (4>2.5, 2≤2.5), t4..t7 F (previous
        // close above 2.5) → not: ? F T F T T T T; close[1] > 0 is U at t0 (lag before the first bar),
        // so t0 does not fire whatever crosses gives there (see S4 for t = 0).
        short_entry: { all: [{ not: ['close', 'crosses_above', 2.5] }, ['close[1]', '>', 0]] },
        // s crosses_below close[1]; close[1] = U 1 3 2 4 6 5 7. t2: s[1] U → U; t3: 3<2 no; t4: 4<4 no;
        // t5: 5<6 and s4=4 ≥ close[1]@4=4 → T; t6: 6<5 no; t7: 5<7 and 6 ≥ 5 → T
        short_exit: ['s', 'crosses_below', 'close[1]'],
      },
    }),
    bars: SIGNAL_BARS,
    expected: { longEntry: 'TTTTTTTT', longExit: 'TTTTTTTT', shortEntry: 'FFTFTTTT', shortExit: 'FFFFFTFT' },
  },
  {
    name: 'S3 crosses undefined, $param, highest/lowest defaults',
    covers: 'crosses is undefined (not false) when a previous value is undefined; "$param" operands; highest reads high, lowest reads low, window includes the current bar',
    spec: makeSpec({
      params: { p: { value: 4.5, min: 0, max: 10, step: 0.5 } },
      indicators: { ...SMA3, hh: { fn: 'highest', period: 3 }, ll: { fn: 'lowest', period: 2 } },
      rules: {
        // t2: close 2 > s 2 is false but s[1] is undefined → crosses U → not U → all U → no.
        // (close[1] > −1 is U at t0, T after.) t3: crosses T → not F; t4 T; t5 T; t6 F; t7 T.
        long_entry: { all: [{ not: ['close', 'crosses_above', 's'] }, ['close[1]', '>', -1]] },
        // close > 4.5: F F F F T T T F
        long_exit: ['close', '>', '$p'],
        // highs 1.5 3.5 2.5 4.5 6.5 5.5 7.5 3.5; hh = max of 3 highs = U U 3.5 4.5 6.5 6.5 7.5 7.5
        // high >= hh: U U F T T F T F
        short_entry: ['high', '>=', 'hh'],
        // lows 0.5 2.5 1.5 3.5 5.5 4.5 6.5 2.5; ll = min of 2 lows = U 0.5 1.5 1.5 3.5 4.5 4.5 2.5
        // ll[1] = U U 0.5 1.5 1.5 3.5 4.5 4.5; ll[1] > low: U U F F F F F T
        short_exit: ['ll[1]', '>', 'low'],
      },
    }),
    bars: SIGNAL_BARS,
    expected: { longEntry: 'FFFFTTFT', longExit: 'FFFFTTTF', shortEntry: 'FFFTTFTF', shortExit: 'FFFFFFFT' },
  },
  {
    name: 'S4 crosses at t = 0',
    covers: 'docs/semantics.md: crosses is undefined at t = 0 (there is no t−1), so not(crosses) cannot fire on bar 0',
    spec: makeSpec({
      indicators: {},
      rules: {
        // close crosses_above 2.5: t0 U (the rule for t = 0), t1 T, t2 F, t3 T, t4..t7 F → not: F F T F T T T T
        long_entry: { not: ['close', 'crosses_above', 2.5] },
        // the mirror: close crosses_below 0 is U at t0 (rule) and F after (close never below 0) → not: F then T
        long_exit: { not: ['close', 'crosses_below', 0] },
        short_entry: null,
        short_exit: null,
      },
    }),
    bars: SIGNAL_BARS,
    expected: { longEntry: 'FFTFTTTT', longExit: 'FTTTTTTT', shortEntry: 'FFFFFFFF', shortExit: 'FFFFFFFF' },
  },
];
