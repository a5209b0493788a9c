import type { Meta } from '../spec/schema.ts';

/**
 * What a stated intent implies about measurable behaviour. The Reviewer (LLM or rules) compares the
 * anonymised results with these bands; they travel inside the review input, so a reviewer that
 * quotes a band quotes a number it was given.
 *
 * | holding  | holding days (calendar) | trades per year per series |
 * |----------|-------------------------|----------------------------|
 * | intraday | 0 – 1                   | ≥ 50                       |
 * | short    | 0.5 – 14                | 10 – 120                   |
 * | medium   | 7 – 90                  | 3 – 30                     |
 * | long     | ≥ 60                    | 0.5 – 8                    |
 *
 * Calendar days, because a daily series' five-bar hold spans a weekend; the per-series frequency
 * bands are the viability floors (100 / 100 / 40 / 15 pooled) spread over a handful of symbols,
 * widened for exposure. A frequency is "far" from its band below half the minimum or above twice
 * the maximum.
 *
 * | style                          | expected win rate  | why                                      |
 * |--------------------------------|--------------------|------------------------------------------|
 * | mean_reversion                 | ≥ 0.5              | many small wins, the occasional big loss |
 * | trend_following/breakout/momentum | ≤ 0.6           | fewer, larger wins                        |
 * | other                          | any                |                                          |
 */
export interface Range {
  min: number | null;
  max: number | null;
}

export interface IntentBands {
  style: Meta['style'];
  holding_period: Meta['holding_period'];
  holding_days: Range;
  trades_per_year_per_series: Range;
  win_rate: Range;
}

const HOLDING: Record<Meta['holding_period'], { days: Range; freq: Range }> = {
  intraday: { days: { min: 0, max: 1 }, freq: { min: 50, max: null } },
  short: { days: { min: 0.5, max: 14 }, freq: { min: 10, max: 120 } },
  medium: { days: { min: 7, max: 90 }, freq: { min: 3, max: 30 } },
  long: { days: { min: 60, max: null }, freq: { min: 0.5, max: 8 } },
};

const WIN_RATE: Record<Meta['style'], Range> = {
  mean_reversion: { min: 0.5, max: null },
  trend_following: { min: null, max: 0.6 },
  breakout: { min: null, max: 0.6 },
  momentum: { min: null, max: 0.6 },
  other: { min: null, max: null },
};

export function intentBands(meta: Meta): IntentBands {
  const h = HOLDING[meta.holding_period];
  return { style: meta.style, holding_period: meta.holding_period, holding_days: h.days, trades_per_year_per_series: h.freq, win_rate: WIN_RATE[meta.style] };
}

/** −1 below the band, 0 inside, +1 above; `slack` widens it multiplicatively (2 → half the min, twice the max). */
export function outside(x: number, r: Range, slack = 1): -1 | 0 | 1 {
  if (r.min !== null && x < r.min / slack) return -1;
  if (r.max !== null && x > r.max * slack) return 1;
  return 0;
}
