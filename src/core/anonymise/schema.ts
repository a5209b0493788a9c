import { z } from 'zod';
import { IntervalSchema } from '../intervals.ts';

/**
 * ReviewInput.aggregates as anonymise() builds it: aggregates only — no prices, no tickers, no
 * calendar. Symbols are "<sector> <letter>", times are "bar i of N" / "month m of M". Every float is
 * rounded to 3 significant digits, which is also what a reviewer may quote.
 */

const N = z.number();
const Num = z.number().nullable();
const Range = z.strictObject({ min: Num, max: Num });

export const SeriesAggregateSchema = z.strictObject({
  label: z.string(),
  sector: z.string(),
  interval: IntervalSchema,
  segment: z.enum(['visible', 'holdout', 'full']),
  bars: N,
  /** "412 bars over 24 months" style span: the length, never the dates. */
  span: z.string(),
  trades: N,
  trades_per_year: Num,
  total_return: Num,
  sharpe: Num,
  max_drawdown: Num,
  exposure: Num,
  avg_trade_return: Num,
  win_rate: Num,
  profit_factor: Num,
  avg_holding_bars: Num,
  avg_holding_days: Num,
  /** Where the deepest drawdown bottomed: "bar 1200 of 5000 (month 7 of 24)"; null without a drawdown. */
  drawdown_trough: z.string().nullable(),
  /** The month (or day, for spans under 60 days) in which most trades were entered. */
  busiest_period: z.strictObject({ at: z.string(), trades: N, share: N }).nullable(),
});

export const SectorSummarySchema = z.strictObject({
  sector: z.string(),
  labels: z.array(z.string()),
  symbols: N,
  trades: N,
  avg_trade_return: Num,
  positive_symbols: N,
  stability: Num,
  pooled_sharpe: Num,
  /** The sector's share of the summed trade returns; null when the total is not positive. */
  pnl_share: Num,
});

export const ReviewAggregatesSchema = z.strictObject({
  intent: z.strictObject({
    style: z.string(),
    holding_period: z.string(),
    holding_days: Range,
    trades_per_year_per_series: Range,
    win_rate: Range,
  }),
  pooled: z.strictObject({
    series: N,
    symbols: N,
    sectors: N,
    trades: N,
    avg_trade_return: Num,
    win_rate: Num,
    profit_factor: Num,
    avg_holding_days: Num,
    trades_per_year_per_series: Num,
  }),
  series: z.array(SeriesAggregateSchema),
  sectors: z.array(SectorSummarySchema),
  regimes: z.array(z.strictObject({ dimension: z.string(), regime: z.string(), trades: N, avg_trade_return: Num, win_rate: Num })),
  gates: z.array(z.strictObject({
    gate: z.string(),
    verdict: z.enum(['PASS', 'FAIL', 'INSUFFICIENT']),
    pass: z.boolean(),
    checks: z.array(z.strictObject({ name: z.string(), value: Num, op: z.string(), threshold: N, verdict: z.enum(['PASS', 'FAIL', 'INSUFFICIENT']), pass: z.boolean(), note: z.string().optional() })),
  })),
  /** Other code-computed facts, scrubbed of tickers and years. */
  notes: z.array(z.string()),
});
export type ReviewAggregates = z.infer<typeof ReviewAggregatesSchema>;
export type SeriesAggregate = z.infer<typeof SeriesAggregateSchema>;
export type SectorSummary = z.infer<typeof SectorSummarySchema>;
