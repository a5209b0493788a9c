import type { Bars } from '../data/bars.ts';
import type { BacktestResult, Metrics } from './types.ts';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Calendar span in years (DESIGN §5). */
export function spanYears(time: Float64Array): number {
  const n = time.length;
  return n < 2 ? 0 : (time[n - 1]! - time[0]!) / YEAR_MS;
}

/** Metrics exactly as DESIGN §5 defines them (edge cases in docs/semantics.md). One pass over equity. */
export function computeMetrics(bars: Bars, result: BacktestResult): Metrics {
  const { equity, position, trades } = result;
  const n = equity.length;
  const years = spanYears(bars.time);
  const barsPerYear = years > 0 ? (n - 1) / years : 0;

  let sum = 0;
  let peak = n > 0 ? equity[0]! : 1;
  let maxDd = 0;
  let open = n > 0 && position[0] !== 0 ? 1 : 0;
  for (let t = 1; t < n; t++) {
    const e = equity[t]!;
    sum += e / equity[t - 1]! - 1;
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > maxDd) maxDd = dd;
    if (position[t] !== 0) open++;
  }
  const m = n - 1;
  const mean = m > 0 ? sum / m : 0;
  // Second pass for the variance: the two-pass form keeps full precision on long series.
  let ss = 0;
  let downSq = 0;
  for (let t = 1; t < n; t++) {
    const r = equity[t]! / equity[t - 1]! - 1;
    const d = r - mean;
    ss += d * d;
    if (r < 0) downSq += r * r;
  }
  const std = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
  const downside = m > 0 ? Math.sqrt(downSq / m) : 0;
  const annual = Math.sqrt(barsPerYear);

  const first = n > 0 ? equity[0]! : 1;
  const last = n > 0 ? equity[n - 1]! : 1;
  const growth = last / first;

  let wins = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let sumTrade = 0;
  for (const tr of trades) {
    sumTrade += tr.return;
    if (tr.return > 0) { wins++; grossWin += tr.return; } else if (tr.return < 0) grossLoss -= tr.return;
  }
  const k = trades.length;
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
