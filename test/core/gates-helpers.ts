// Hand-built SeriesRun objects for the gate tests: a run is a start time, a bar step, its per-bar
// returns (or its equity path) and its trades by bar index. Nothing here computes what a gate checks;
// metrics are zeros because the gates do not read them.
import type { Segment, SeriesRun } from '../../src/core/research/run.ts';

export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;
/** Monday 2020-01-06 00:00 UTC. */
export const MONDAY = Date.UTC(2020, 0, 6);
/** A step of 1/100 year: 101 bars span exactly one year (DESIGN §5 years = Δt / 365.25 d). */
export const CENTI_YEAR = YEAR / 100;

export interface TradeSpec {
  /** Bar index of the entry fill. */
  entry: number;
  ret: number;
  /** Bar index of the exit (default entry + 1, clamped to the last bar). */
  exit?: number;
  side?: 1 | -1;
}

export interface RunSpec {
  symbol?: string;
  start?: number;
  step?: number;
  /** Per-bar returns r_1 … r_{N−1}; N = returns.length + 1 bars, equity from 1. */
  returns?: readonly number[];
  /** Or the equity at every bar directly. */
  equity?: readonly number[];
  trades?: readonly TradeSpec[];
  segment?: Segment;
  sector?: string;
  interval?: SeriesRun['key']['interval'];
  /** μ: the symbol's mean per-bar return (default 0: no drift to remove). */
  drift?: number;
  /** The scope's market return per bar (default 0 everywhere: nothing to hedge). */
  market?: readonly number[];
}

export function makeRun(spec: RunSpec): SeriesRun {
  const start = spec.start ?? MONDAY;
  const step = spec.step ?? DAY;
  let equity: Float64Array;
  if (spec.equity !== undefined) equity = Float64Array.from(spec.equity);
  else {
    const r = spec.returns ?? [];
    equity = new Float64Array(r.length + 1);
    equity[0] = 1;
    for (let i = 0; i < r.length; i++) equity[i + 1] = equity[i]! * (1 + r[i]!);
  }
  const n = equity.length;
  const time = Float64Array.from({ length: n }, (_, i) => start + i * step);
  const trades = spec.trades ?? [];
  const position = new Int8Array(n);
  for (const t of trades) {
    const exit = Math.min(t.exit ?? t.entry + 1, n - 1);
    for (let b = t.entry; b <= exit; b++) position[b] = t.side ?? 1;
  }
  const years = (time[n - 1]! - time[0]!) / YEAR;
  return {
    key: { symbol: spec.symbol ?? 'AAA', interval: spec.interval ?? '1d' },
    sector: spec.sector ?? 'Test',
    segment: spec.segment ?? 'visible',
    time,
    equity,
    position,
    metrics: { total_return: 0, cagr: 0, sharpe: 0, sortino: 0, max_drawdown: 0, trades: trades.length, trades_per_year: 0, avg_trade_return: 0, win_rate: 0, profit_factor: null, exposure: 0 },
    trades: {
      count: trades.length,
      side: Int8Array.from(trades, (t) => t.side ?? 1),
      entryTime: Float64Array.from(trades, (t) => start + t.entry * step),
      exitTime: Float64Array.from(trades, (t) => start + Math.min(t.exit ?? t.entry + 1, n - 1) * step),
      ret: Float64Array.from(trades, (t) => t.ret),
      bars: Int32Array.from(trades, (t) => Math.min(t.exit ?? t.entry + 1, n - 1) - t.entry),
    },
    barsPerYear: years > 0 ? (n - 1) / years : 0,
    drift: spec.drift ?? 0,
    market: spec.market === undefined ? new Float64Array(n) : Float64Array.from(spec.market),
  };
}

/** `count` trades of return `ret` entered at bars first, first + every, … */
export function evenTrades(count: number, ret: number, first = 0, every = 1): TradeSpec[] {
  return Array.from({ length: count }, (_, i) => ({ entry: first + i * every, ret }));
}

/** The deliberately simple second implementation: mean and sample std (ddof 1), Sharpe 0 when std = 0. */
export function simpleSharpe(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return sd > 0 ? m / sd : 0;
}

/** Standard normals from a uniform source (Box–Muller). */
export function normals(random: () => number, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - random();
    const v = random();
    out.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}
