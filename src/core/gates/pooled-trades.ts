import type { SeriesRun } from '../research/run.ts';
import { mean } from '../stats/index.ts';

/** Every closed trade of the tested set, pooled across runs and ordered by entry time. */
export interface PooledTrades {
  readonly count: number;
  readonly entryTime: Float64Array;
  readonly ret: Float64Array;
}

export function pooledTrades(runs: readonly SeriesRun[]): PooledTrades {
  const rows: Array<[number, number]> = [];
  for (const run of runs) {
    const t = run.trades;
    for (let i = 0; i < t.count; i++) rows.push([t.entryTime[i]!, t.ret[i]!]);
  }
  // Stable sort on entry time keeps each run's own order for simultaneous entries.
  rows.sort((a, b) => a[0] - b[0]);
  return { count: rows.length, entryTime: Float64Array.from(rows, (r) => r[0]), ret: Float64Array.from(rows, (r) => r[1]) };
}

/** Mean per-trade return over every pooled trade; null when there are none. */
export function avgTradeReturn(trades: PooledTrades): number | null {
  return trades.count === 0 ? null : mean(trades.ret);
}
