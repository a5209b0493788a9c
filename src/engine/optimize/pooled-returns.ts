import { sharpeRatio } from '../../core/stats/sharpe.ts';
import type { Bars } from '../data/bars.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** The bars [from, to) of one series that a trial executes on. */
export interface SeriesWindow {
  from: number;
  to: number;
}

/**
 * How the per-bar returns of several series map onto one time grid, built exactly like the gates'
 * equal-weight portfolio (src/core/gates/portfolio.ts), so a trial's Sharpe is the number the gates
 * would compute from the same runs: the clock is the union of the windows' bar times; a series'
 * return E_i / E_{i−1} − 1 is realised at its bar time t_i; the first union time has no return.
 * One series therefore gives exactly its own N − 1 returns (and its own per-bar Sharpe).
 */
export interface PoolLayout {
  /** Return times: the union clock without its first time. Ascending, unique: the pooled rows. */
  time: Float64Array;
  /** Per series: the row of the return of window bar i + 1. */
  rows: Int32Array[];
  /** Series with a non-empty window: the portfolio's 1/n. */
  live: number;
  /** Years from the first to the last union time (DESIGN §5 calendar years). */
  years: number;
  /** rows / years: (N − 1) / years for a single series, as DESIGN §5. */
  barsPerYear: number;
}

export function poolLayout(series: readonly Bars[], windows: readonly SeriesWindow[]): PoolLayout {
  let total = 0;
  series.forEach((_, k) => { total += Math.max(0, windows[k]!.to - windows[k]!.from); });
  const all = new Float64Array(total);
  let p = 0;
  series.forEach((b, k) => {
    const w = windows[k]!;
    for (let i = w.from; i < w.to; i++) all[p++] = b.time[i]!;
  });
  all.sort();
  let m = 0;
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i]!;
  const clock = all.subarray(0, m);
  let live = 0;
  const rows = series.map((b, k) => {
    const w = windows[k]!;
    if (w.to > w.from) live++;
    const r = new Int32Array(Math.max(0, w.to - w.from - 1));
    // Both lists ascend, so one forward pointer maps them.
    let g = 0;
    for (let i = 0; i < r.length; i++) {
      const t = b.time[w.from + 1 + i]!;
      while (clock[g]! < t) g++;
      r[i] = g - 1;
    }
    return r;
  });
  const years = m > 1 ? (clock[m - 1]! - clock[0]!) / YEAR_MS : 0;
  return { time: clock.slice(1), rows, live, years, barsPerYear: years > 0 ? (m - 1) / years : 0 };
}

/**
 * The layout with its columns in shared memory: posted to a worker, its arrays arrive as views of the
 * same memory, so every worker uses the one layout the pool built instead of building its own (a
 * sort and a merge of every bar time: tens of milliseconds in a worker whose code is not yet warm).
 */
export function shareLayout(layout: PoolLayout): PoolLayout {
  const n = layout.rows.reduce((s, r) => s + r.length, 0);
  const ints = new Int32Array(new SharedArrayBuffer(n * 4));
  let at = 0;
  const rows = layout.rows.map((r) => {
    const view = ints.subarray(at, at + r.length);
    view.set(r);
    at += r.length;
    return view;
  });
  const time = new Float64Array(new SharedArrayBuffer(layout.time.length * 8));
  time.set(layout.time);
  return { ...layout, time, rows };
}

/**
 * Sums per-bar returns of the series of one trial onto a layout's grid. The pooled return at a row is
 * the sum of the returns realised there divided by the number of live series: an equal-weight
 * portfolio rebalanced to 1/n every bar, where a series without a bar at that time (not started yet,
 * ended, a missing day) holds its share in cash. A series whose equity reached ≤ 0 has nothing left
 * to lose: its later returns count as 0 (as in the gates).
 */
export class PoolAccumulator {
  private readonly sum: Float64Array;

  constructor(private readonly layout: PoolLayout) {
    this.sum = new Float64Array(layout.time.length);
  }

  reset(): void {
    this.sum.fill(0);
  }

  /** Adds the returns of series k's window equity (equity[0] is the window's first bar). */
  add(k: number, equity: Float64Array): void {
    const rows = this.layout.rows[k]!;
    const sum = this.sum;
    for (let i = 0; i < rows.length; i++) {
      const prev = equity[i]!;
      if (prev > 0) sum[rows[i]!]! += equity[i + 1]! / prev - 1;
    }
  }

  /** The pooled returns, in a fresh array. */
  finish(): Float64Array {
    const out = new Float64Array(this.sum.length);
    const n = this.layout.live;
    for (let g = 0; g < out.length; g++) out[g] = this.sum[g]! / n;
    return out;
  }
}

/**
 * Per-bar Sharpe mean / std (ddof 1) through core's sharpeRatio — the function the gates use — so an
 * optimiser trial and a gate see the same number. 0 with fewer than two returns or zero spread
 * (DESIGN §5), and 0 when a return is not finite (an equity that blew up): such a trial has no Sharpe
 * to rank by, and 0 keeps it from winning over any trial with a positive edge.
 */
export function perBarSharpe(returns: Float64Array): number {
  if (returns.length < 2) return 0;
  for (let i = 0; i < returns.length; i++) if (!Number.isFinite(returns[i]!)) return 0;
  return sharpeRatio(returns);
}

/** Compound annual growth of the returns over `years`: growth^(1/years) − 1; −1 once wiped out, 0 for no span. */
export function annualisedReturn(returns: Float64Array, years: number): number {
  let growth = 1;
  for (let i = 0; i < returns.length; i++) growth *= 1 + returns[i]!;
  if (!(years > 0)) return 0;
  return growth > 0 ? Math.pow(growth, 1 / years) - 1 : -1;
}
