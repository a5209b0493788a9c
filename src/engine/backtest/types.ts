import type { Bars } from '../data/bars.ts';
import type { AtrLevel } from '../../core/spec/schema.ts';
import type { TradeLog } from './trade-log.ts';

/** Signal bits produced by a strategy for the close of each bar (docs/semantics.md). */
export const LONG_ENTRY = 1;
export const LONG_EXIT = 2;
export const SHORT_ENTRY = 4;
export const SHORT_EXIT = 8;

export type ExitReason = 'signal' | 'stop' | 'target' | 'end';
export type Side = 'long' | 'short';

export interface Trade {
  side: Side;
  entryIndex: number;
  exitIndex: number;
  entryTime: number;
  exitTime: number;
  /** Fill prices, slippage included. */
  entryPrice: number;
  exitPrice: number;
  /** Equity after the exit ÷ equity before the entry − 1, fees included. */
  return: number;
  exitReason: ExitReason;
}

export interface ExecutionOptions {
  stopLossPct: number | null;
  takeProfitPct: number | null;
  /** A stop at mult × ATR(period) of the signal bar from the entry fill (spec v1.1); absent = none. Never with stopLossPct. */
  stopAtr?: AtrLevel | undefined;
  /** A target at mult × ATR(period) of the signal bar from the entry fill (spec v1.1); absent = none. Never with takeProfitPct. */
  targetAtr?: AtrLevel | undefined;
  feesBps: number;
  slippageBps: number;
}

export interface BacktestResult {
  /** Equity marked at each close; starts at 1. */
  equity: Float64Array;
  /** Position held at each close (1 long, −1 short, 0 flat); the last bar shows the position the end exit closed. */
  position: Int8Array;
  /** Closed trades as objects (built on first read from `log`). */
  readonly trades: Trade[];
  /** Closed trades as columns: what metrics and optimisers read. */
  readonly log: TradeLog;
  /** Bars whose position is not 0, when the producer counted them (runBacktest does); else metrics count. */
  readonly heldBars?: number;
}

/** The one Metrics type: core's schema (the store validates runs against it); the engine fills it. */
export type { Metrics } from '../../core/research/run.ts';

export type { Bars };
