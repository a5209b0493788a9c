import { z } from 'zod';
import type { Interval } from '../intervals.ts';

/** Per-run metrics (DESIGN §5). The engine computes them; core only reads them. */
export const MetricsSchema = z.strictObject({
  total_return: z.number(),
  cagr: z.number(),
  sharpe: z.number(),
  sortino: z.number(),
  max_drawdown: z.number(),
  trades: z.number().int().nonnegative(),
  trades_per_year: z.number(),
  avg_trade_return: z.number(),
  win_rate: z.number(),
  profit_factor: z.number().nullable(),
  exposure: z.number(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** A series the research runs on: one symbol at one interval. */
export interface SeriesKey {
  symbol: string;
  interval: Interval;
}
export const seriesKeyText = (k: SeriesKey): string => `${k.symbol}@${k.interval}`;

/**
 * Which part of a series a run may see (DESIGN §6 sealed holdout): `visible` is the first 80 % of
 * the bars, `holdout` the last 20 % (with the visible part as indicator warm-up only), `full` both.
 * Only promotion asks for `holdout`, once, and the opening is logged.
 */
export type Segment = 'visible' | 'holdout' | 'full';

/** Closed trades of one run, as columns (times in epoch ms). */
export interface TradeColumns {
  count: number;
  side: Int8Array;
  entryTime: Float64Array;
  exitTime: Float64Array;
  ret: Float64Array;
  /** Bars held, h_i = exit bar index − entry bar index (the drift a random holding of that length earns is μ·h). */
  bars: Int32Array;
}

/** The result of one backtest of one spec on one series segment: what gates and the Reviewer read. */
export interface SeriesRun {
  key: SeriesKey;
  sector: string;
  segment: Segment;
  /** Bar times (epoch ms) and the equity marked at each close, aligned and of equal length. */
  time: Float64Array;
  equity: Float64Array;
  position: Int8Array;
  metrics: Metrics;
  trades: TradeColumns;
  /** (N − 1) / years, DESIGN §5. */
  barsPerYear: number;
  /**
   * μ_j: the mean per-bar simple return (close / previous close − 1) of the symbol over its VISIBLE
   * window at this interval, whatever segment the run is on. Excess trade returns subtract s·μ·h.
   */
  drift: number;
  /**
   * The scope's equal-weight market return per bar, aligned to `time` (market[0] = 0): the hedge of
   * viability's drawdown and of multiple testing's Sharpe (docs/gates.md).
   */
  market: Float64Array;
  /** The same run with no costs (0 fees, 0 slippage): gross beside net. Absent on stitched walk-forward runs. */
  gross?: Metrics;
}

/** Bar-level regime labels (terciles of realised volatility; above/below a long moving average). */
export interface RegimeLabels {
  /** 0 low, 1 mid, 2 high volatility; −1 where undefined (warm-up). */
  volatility: Int8Array;
  /** 1 above the long MA, −1 below, 0 undefined. */
  trend: Int8Array;
}
