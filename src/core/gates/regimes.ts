import { seriesKeyText } from '../research/run.ts';
import type { RegimeLabels, SeriesRun } from '../research/run.ts';
import { sharpeRatio } from '../stats/index.ts';

/**
 * Performance by market regime — a report for the Director's regime-expansion action, not a gate.
 * Regimes: volatility tercile (labels 0/1/2) and trend state (1 above / −1 below the long MA).
 * - a trade belongs to the regime of the bar it was ENTERED at (the last bar with time ≤ its entry
 *   time); entries on an unlabelled bar (warm-up) are counted apart;
 * - a per-bar return r_i = E_i / E_{i−1} − 1 belongs to the regime of bar i, where it is realised;
 * - exposure = the share of the regime's bars with a position open.
 */
export const VOLATILITY_REGIMES = ['vol_low', 'vol_mid', 'vol_high'] as const;
export const TREND_REGIMES = ['trend_above', 'trend_below'] as const;
export type RegimeName = (typeof VOLATILITY_REGIMES)[number] | (typeof TREND_REGIMES)[number];

export interface RegimeStats {
  readonly regime: RegimeName;
  /** Bars carrying this label. */
  readonly bars: number;
  /** Trades entered in this regime. */
  readonly trades: number;
  /** Σ of their per-trade returns. */
  readonly pnl: number;
  /** pnl ÷ trades; null with no trade. */
  readonly avgTradeReturn: number | null;
  /** Per-bar (not annualised) Sharpe of the returns realised on this regime's bars; null with fewer than 2. */
  readonly sharpe: number | null;
  /** Share of this regime's bars with a position open; null with no bar. */
  readonly exposure: number | null;
}

export interface RegimePerformance {
  /** low, mid, high — in that order. */
  readonly volatility: readonly RegimeStats[];
  /** above, below — in that order. */
  readonly trend: readonly RegimeStats[];
  /** Trades entered on bars without a label, per dimension. */
  readonly unlabelledTrades: { readonly volatility: number; readonly trend: number };
}

class Bucket {
  bars = 0;
  open = 0;
  trades = 0;
  pnl = 0;
  readonly returns: number[] = [];
  constructor(readonly regime: RegimeName) {}

  stats(): RegimeStats {
    return {
      regime: this.regime,
      bars: this.bars,
      trades: this.trades,
      pnl: this.pnl,
      avgTradeReturn: this.trades > 0 ? this.pnl / this.trades : null,
      sharpe: this.returns.length >= 2 ? sharpeRatio(this.returns) : null,
      exposure: this.bars > 0 ? this.open / this.bars : null,
    };
  }
}

/** Index of the last bar with time ≤ t, or −1. */
export function barAt(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Per-regime figures of one run. */
export function regimePerformance(run: SeriesRun, labels: RegimeLabels): RegimePerformance {
  return pooledRegimePerformance([run], [labels]);
}

/**
 * Per-regime figures pooled over several runs (labels[i] belongs to runs[i]): trades, bars and open
 * bars add up, and each regime's Sharpe is taken over the per-bar returns of every run in it.
 */
export function pooledRegimePerformance(runs: readonly SeriesRun[], labels: readonly RegimeLabels[]): RegimePerformance {
  if (runs.length !== labels.length) throw new RangeError(`regimes: ${runs.length} runs but ${labels.length} label sets`);
  const vol = VOLATILITY_REGIMES.map((r) => new Bucket(r));
  const trend = TREND_REGIMES.map((r) => new Bucket(r));
  const volOf = (label: number): Bucket | undefined => (label >= 0 && label <= 2 ? vol[label] : undefined);
  const trendOf = (label: number): Bucket | undefined => (label === 1 ? trend[0] : label === -1 ? trend[1] : undefined);
  let unlabelledVol = 0;
  let unlabelledTrend = 0;

  runs.forEach((run, i) => {
    const l = labels[i]!;
    const n = run.time.length;
    if (l.volatility.length !== n || l.trend.length !== n) throw new RangeError(`regimes: ${seriesKeyText(run.key)} has ${n} bars but ${l.volatility.length}/${l.trend.length} labels`);
    for (let b = 0; b < n; b++) {
      const open = run.position[b] !== 0 ? 1 : 0;
      const r = b > 0 && run.equity[b - 1]! > 0 ? run.equity[b]! / run.equity[b - 1]! - 1 : null;
      for (const bucket of [volOf(l.volatility[b]!), trendOf(l.trend[b]!)]) {
        if (bucket === undefined) continue;
        bucket.bars++;
        bucket.open += open;
        if (r !== null) bucket.returns.push(r);
      }
    }
    const t = run.trades;
    for (let k = 0; k < t.count; k++) {
      const b = barAt(run.time, t.entryTime[k]!);
      const v = b >= 0 ? volOf(l.volatility[b]!) : undefined;
      const d = b >= 0 ? trendOf(l.trend[b]!) : undefined;
      if (v === undefined) unlabelledVol++;
      else {
        v.trades++;
        v.pnl += t.ret[k]!;
      }
      if (d === undefined) unlabelledTrend++;
      else {
        d.trades++;
        d.pnl += t.ret[k]!;
      }
    }
  });
  return {
    volatility: vol.map((b) => b.stats()),
    trend: trend.map((b) => b.stats()),
    unlabelledTrades: { volatility: unlabelledVol, trend: unlabelledTrend },
  };
}

export interface RegimeConcentration {
  /** The regime with the largest positive PnL; null when no regime made money. */
  readonly dominant: RegimeName | null;
  /** Its share of the positive PnL, Σ_r max(pnl_r, 0); null when that is 0. */
  readonly share: number | null;
  /** Every other regime with trades averages ≤ 0 per trade (the edge lives only in the dominant one). */
  readonly othersNonPositive: boolean;
  /** share ≥ minShare. */
  readonly concentrated: boolean;
}

/**
 * Whether one dimension's edge (the volatility or the trend regimes) lives in a single regime: the
 * dominant regime holds ≥ minShare of the positive PnL. When every other regime averages ≤ 0 the
 * share is 100 %, so that case is covered by the same threshold; `othersNonPositive` reports it.
 */
export function regimeConcentration(perRegime: readonly RegimeStats[], minShare = 0.75): RegimeConcentration {
  let positive = 0;
  let best: RegimeStats | null = null;
  for (const r of perRegime) {
    if (r.pnl > 0) {
      positive += r.pnl;
      if (best === null || r.pnl > best.pnl) best = r;
    }
  }
  if (best === null) return { dominant: null, share: null, othersNonPositive: false, concentrated: false };
  const share = best.pnl / positive;
  const othersNonPositive = perRegime.every((r) => r === best || r.trades === 0 || (r.avgTradeReturn ?? 0) <= 0);
  return { dominant: best.regime, share, othersNonPositive, concentrated: share >= minShare };
}
