import type { Bars } from '../data/bars.ts';
import type { BacktestResult, Metrics } from './types.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Calendar span in years (DESIGN §5). */
export function spanYears(time: Float64Array): number {
  const n = time.length;
  return n < 2 ? 0 : (time[n - 1]! - time[0]!) / YEAR_MS;
}

/** Bars whose position is not 0. */
function heldBars(position: Int8Array): number {
  let held = 0;
  for (let t = 0; t < position.length; t++) held += +(position[t] !== 0);
  return held;
}

/** Metrics exactly as DESIGN §5 defines them (edge cases in docs/semantics.md). One pass over equity. */
export function computeMetrics(bars: Bars, result: BacktestResult): Metrics {
  const { equity, position, log } = result;
  const n = equity.length;
  const years = spanYears(bars.time);
  const barsPerYear = years > 0 ? (n - 1) / years : 0;

  // One pass. The variance is accumulated around a shift K (the mean of the first returns), which
  // keeps the one-pass formula as precise as the two-pass one unless the mean drifts far from K.
  const m = n - 1;
  let shift = 0;
  const head = Math.min(m, 64);
  for (let t = 1; t <= head; t++) shift += equity[t]! / equity[t - 1]! - 1;
  if (head > 0) shift /= head;
  let sumD = 0;
  let sumD2 = 0;
  let downSq = 0;
  let peak = n > 0 ? equity[0]! : 1;
  let maxDd = 0;
  let prev = peak;
  // Branch-free where the data decides (the sign of a return, a new peak): on real equity curves
  // those flip at random and mispredicted branches would cost more than the arithmetic.
  for (let t = 1; t < n; t++) {
    const e = equity[t]!;
    const r = e / prev - 1;
    prev = e;
    const d = r - shift;
    sumD += d;
    sumD2 += d * d;
    // min(r, 0) written as (r − |r|)/2, exact in floating point: Math.min(r, 0) or a ternary with
    // the literal 0 makes V8 box the value on every bar, which costs ten times the arithmetic.
    const down = (r - Math.abs(r)) * 0.5;
    downSq += down * down;
    peak = Math.max(peak, e);
    // A new maximum drawdown needs e below peak·(1 − maxDd), which is rare once maxDd has grown.
    if (e < peak * (1 - maxDd)) maxDd = 1 - e / peak;
  }
  const open = result.heldBars ?? heldBars(position);
  const mean = m > 0 ? shift + sumD / m : 0;
  const std = m > 1 ? Math.sqrt(Math.max(0, (sumD2 - (sumD * sumD) / m) / (m - 1))) : 0;
  const downside = m > 0 ? Math.sqrt(downSq / m) : 0;
  const annual = Math.sqrt(barsPerYear);

  const first = n > 0 ? equity[0]! : 1;
  const last = n > 0 ? equity[n - 1]! : 1;
  const growth = last / first;

  let wins = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let sumTrade = 0;
  const k = log.count;
  const rets = log.ret;
  for (let j = 0; j < k; j++) {
    const r = rets[j]!;
    sumTrade += r;
    if (r > 0) { wins++; grossWin += r; } else if (r < 0) grossLoss -= r;
  }
  return {
    total_return: growth - 1,
    cagr: years > 0 ? (growth > 0 ? Math.pow(growth, 1 / years) - 1 : -1) : 0,
    sharpe: std > 0 ? (mean / std) * annual : 0,
    sortino: downside > 0 ? (mean / downside) * annual : 0,
    max_drawdown: maxDd,
    trades: k,
    trades_per_year: years > 0 ? k / years : 0,
    avg_trade_return: k > 0 ? sumTrade / k : 0,
    win_rate: k > 0 ? wins / k : 0,
    profit_factor: grossLoss > 0 ? grossWin / grossLoss : null,
    exposure: n > 0 ? open / n : 0,
  };
}
