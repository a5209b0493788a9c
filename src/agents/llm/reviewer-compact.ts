/**
 * The Reviewer's aggregates, made to fit a local model's context window. Each series costs about
 * 230 tokens, so a session over 22 series overflowed 8192 tokens and the server silently cut the
 * prompt (losing the system prompt first). Past SERIES_SHOWN series, the request shows the best and
 * the worst by Sharpe in full and one summary row for the rest: its ranges are min and max of the
 * omitted series' own values, so every number in it is also in the Reviewer's input (the numbers
 * check accepts them). The pooled, sector, regime and gate aggregates are kept whole: they are
 * per-session, not per-series.
 */
export const SERIES_SHOWN = 12;

type Row = Record<string, unknown>;

export interface Compacted {
  aggregates: Record<string, unknown>;
  /** A sentence for the request when series were summarised; null when all are shown. */
  note: string | null;
}

export function compactAggregates(aggregates: Record<string, unknown>): Compacted {
  const series = Array.isArray(aggregates.series) ? (aggregates.series as Row[]) : [];
  if (series.length <= SERIES_SHOWN) return { aggregates, note: null };
  const half = SERIES_SHOWN / 2;
  const ranked = series.map((row, i) => ({ row, i, sharpe: typeof row.sharpe === 'number' ? row.sharpe : Number.NEGATIVE_INFINITY }))
    .sort((a, b) => b.sharpe - a.sharpe || a.i - b.i);
  const keep = new Set([...ranked.slice(0, half), ...ranked.slice(-half)].map((x) => x.i));
  const shown = series.filter((_, i) => keep.has(i));
  const rest = series.filter((_, i) => !keep.has(i));
  const range = (key: string): { min: number; max: number } | null => {
    const xs = rest.map((r) => r[key]).filter((x): x is number => typeof x === 'number');
    return xs.length === 0 ? null : { min: Math.min(...xs), max: Math.max(...xs) };
  };
  const summary = {
    series: rest.length,
    sharpe: range('sharpe'), total_return: range('total_return'), trades: range('trades'),
    win_rate: range('win_rate'), max_drawdown: range('max_drawdown'),
  };
  return {
    aggregates: { ...aggregates, series: shown, series_not_shown: summary },
    note: `${series.length} series were run: the ${half} with the highest and the ${half} with the lowest Sharpe are shown in full; ` +
      `series_not_shown gives the ranges of the other ${rest.length}.`,
  };
}
