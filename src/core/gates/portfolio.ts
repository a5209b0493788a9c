import type { SeriesRun } from '../research/run.ts';
import { sharpeRatio } from '../stats/index.ts';

/**
 * The equal-weight portfolio of a tested symbol × interval set — what viability's drawdown,
 * distribution's day/week gains, robustness's Sharpe and the multiple-testing statistics all read.
 *
 * Construction (DESIGN §6 says "equal-weight portfolio" and nothing more):
 * - the time axis is the union of every run's bar times, ascending, without duplicates;
 * - a run's per-bar return r_i = E_i / E_{i−1} − 1 (DESIGN §5) is realised at its bar time t_i;
 *   at a union time where a run has no bar (another interval, another trading calendar, before
 *   it starts or after it ends) it contributes 0: its share sits in cash;
 * - the portfolio return at each union time is the plain mean over ALL runs, i.e. the weights are
 *   rebalanced back to 1/n every bar. Rebalancing keeps one series' big early gain from turning
 *   the portfolio into a one-symbol bet, which is what "equal weight" is meant to prevent;
 * - equity starts at 1 at the first union time and compounds those returns.
 * A run whose equity has reached ≤ 0 has nothing left to lose: its later returns count as 0.
 */
export interface Portfolio {
  /** Union of the runs' bar times (epoch ms), ascending, unique. */
  readonly time: Float64Array;
  /** Equity at each union time; equity[0] = 1. */
  readonly equity: Float64Array;
  /** returns[k] = equity[k + 1] / equity[k] − 1, realised at time[k + 1]; length time.length − 1 (0 when empty). */
  readonly returns: Float64Array;
}

export const DAY_MS = 86_400_000;
/** DESIGN §5: years = Δt / 365.25 days. */
export const YEAR_MS = 365.25 * DAY_MS;

function unionTimes(runs: readonly SeriesRun[]): Float64Array {
  let total = 0;
  for (const r of runs) total += r.time.length;
  const all = new Float64Array(total);
  let o = 0;
  for (const r of runs) {
    all.set(r.time, o);
    o += r.time.length;
  }
  all.sort();
  let u = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[u - 1]) all[u++] = all[i]!;
  return all.slice(0, u);
}

/**
 * `hedged`: each run's per-bar return becomes r_i − p_i·m_i, with p_i its position at bar i (+1 long,
 * −1 short, 0 flat) and m_i the scope's equal-weight market return at that bar (SeriesRun.market): the
 * run's market exposure is hedged bar by bar at the same exposure, leaving what its timing earned.
 */
export function equalWeightPortfolio(runs: readonly SeriesRun[], opts: { hedged?: boolean } = {}): Portfolio {
  const hedged = opts.hedged === true;
  const live = runs.filter((r) => r.time.length > 0);
  const time = unionTimes(live);
  const U = time.length;
  const sum = new Float64Array(U);
  for (const run of live) {
    if (run.equity.length !== run.time.length) throw new RangeError(`${run.key.symbol}@${run.key.interval}: equity and time differ in length`);
    let k = 0;
    for (let i = 1; i < run.time.length; i++) {
      const t = run.time[i]!;
      while (time[k]! < t) k++;
      const prev = run.equity[i - 1]!;
      if (prev > 0) sum[k] = sum[k]! + run.equity[i]! / prev - 1 - (hedged ? run.position[i]! * run.market[i]! : 0);
    }
  }
  const equity = new Float64Array(U);
  const returns = new Float64Array(Math.max(0, U - 1));
  if (U > 0) equity[0] = 1;
  for (let k = 1; k < U; k++) {
    const r = sum[k]! / live.length;
    returns[k - 1] = r;
    equity[k] = equity[k - 1]! * (1 + r);
  }
  return { time, equity, returns };
}

/** max_t (1 − E_t / max_{s≤t} E_s), a positive fraction (DESIGN §5); 0 for an empty curve. */
export function maxDrawdown(equity: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    else if (peak > 0) worst = Math.max(worst, 1 - e / peak);
  }
  return worst;
}

/**
 * Per-bar Sharpe (not annualised; DESIGN §5, stats.md) of the equal-weight portfolio: the value a
 * trial is recorded with and DSR deflates. 0 when there are fewer than two returns, so a degenerate
 * run records a trial without an edge instead of NaN.
 */
export function pooledSharpe(runs: readonly SeriesRun[], opts: { hedged?: boolean } = {}): number {
  const { returns } = equalWeightPortfolio(runs, opts);
  return returns.length >= 2 ? sharpeRatio(returns) : 0;
}

/** The first and last bar time over every run (the hull of the tested set's time ranges); null when no run has a bar. */
export function timeSpan(runs: readonly SeriesRun[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const r of runs) {
    if (r.time.length === 0) continue;
    from = Math.min(from, r.time[0]!);
    to = Math.max(to, r.time[r.time.length - 1]!);
  }
  return from <= to ? { from, to } : null;
}

/**
 * Calendar years covered by at least one run: the length of the union of the runs' [first, last]
 * bar-time intervals. Gaps where no run exists do not count, so a trade rate is not diluted by
 * time in which nothing was tested; overlapping runs count once, so ten symbols over the same five
 * years are five years (their trades pool, DESIGN §6 "a daily strategy needs a universe").
 */
export function unionYears(runs: readonly SeriesRun[]): number {
  const ranges = runs.filter((r) => r.time.length > 0).map((r) => [r.time[0]!, r.time[r.time.length - 1]!] as const);
  ranges.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const [a, b] of ranges) {
    if (a > end) {
      if (end > start) total += end - start;
      start = a;
      end = b;
    } else end = Math.max(end, b);
  }
  if (end > start) total += end - start;
  return total / YEAR_MS;
}
