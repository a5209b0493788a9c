import type { SeriesRun } from '../research/run.ts';
import { clusterKey, excessReturns } from '../stats/index.ts';
import { DAY_MS, YEAR_MS } from './portfolio.ts';

/**
 * Every closed trade of the tested set with what judgement v2 reads of it (docs/gates.md):
 * the net return r_i, the excess return e_i = r_i − s_i·μ_j·h_i, the calendar cluster of its entry
 * (month at 4h and above, day below), and its holding time. Trades keep run order, then entry order.
 */
export interface ExcessSample {
  readonly count: number;
  readonly entryTime: Float64Array;
  readonly ret: Float64Array;
  readonly excess: Float64Array;
  /** Dense cluster ids 0 … G − 1. */
  readonly cluster: Int32Array;
  readonly clusters: number;
  /** Holding time of each trade in days (exit time − entry time). */
  readonly holdDays: Float64Array;
  /** Distinct symbols tested. */
  readonly symbols: number;
  /** Σ over runs of each run's own span in years (a symbol-year is one symbol over one year). */
  readonly symbolYears: number;
}

export function excessSample(runs: readonly SeriesRun[]): ExcessSample {
  let n = 0;
  for (const r of runs) n += r.trades.count;
  const entryTime = new Float64Array(n);
  const ret = new Float64Array(n);
  const excess = new Float64Array(n);
  const cluster = new Int32Array(n);
  const holdDays = new Float64Array(n);
  const ids = new Map<string, number>();
  let o = 0;
  let symbolYears = 0;
  for (const run of runs) {
    const t = run.trades;
    const e = excessReturns(t.ret, t.side, t.bars, run.drift);
    for (let i = 0; i < t.count; i++, o++) {
      entryTime[o] = t.entryTime[i]!;
      ret[o] = t.ret[i]!;
      excess[o] = e[i]!;
      holdDays[o] = (t.exitTime[i]! - t.entryTime[i]!) / DAY_MS;
      const key = clusterKey(t.entryTime[i]!, run.key.interval);
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      cluster[o] = id;
    }
    if (run.time.length >= 2) symbolYears += (run.time[run.time.length - 1]! - run.time[0]!) / YEAR_MS;
  }
  return {
    count: n, entryTime, ret, excess, cluster, clusters: ids.size, holdDays,
    symbols: new Set(runs.map((r) => r.key.symbol)).size, symbolYears,
  };
}

/** Mean excess trade return of a sample; null without trades. */
export function meanExcess(s: ExcessSample): number | null {
  if (s.count === 0) return null;
  let sum = 0;
  for (const x of s.excess) sum += x;
  return sum / s.count;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}
