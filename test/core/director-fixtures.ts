import type { Interval } from '../../src/core/intervals.ts';
import type { UniverseView } from '../../src/core/research/ports.ts';
import type { UniverseSymbol } from '../../src/core/universe.ts';
import type { Metrics, SeriesRun } from '../../src/core/research/run.ts';
import type { MarketType } from '../../src/core/universe.ts';

/** Small, real objects standing in for the engine: a universe with known volatilities, runs with known trades. */

export const INTRADAY: Interval[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

export type Row = [symbol: string, sector: string, vol: number, intervals?: Interval[], market?: MarketType];

export function fakeUniverse(rows: Row[]): UniverseView {
  const symbols: UniverseSymbol[] = rows.map(([symbol, sector, , intervals, market]) => ({ symbol, sector, market_type: market ?? 'equities', intervals: intervals ?? ['1d'] }));
  const vol = new Map(rows.map(([s, , v]) => [s, v]));
  return {
    symbols: () => symbols.map((s) => ({ ...s, intervals: [...s.intervals] })),
    realizedVol: (k) => {
      const v = vol.get(k.symbol);
      if (v === undefined) throw new Error(`unknown ${k.symbol}`);
      return v;
    },
    visibleBars: () => 1000,
    sealedBars: () => 250,
  };
}

/**
 * Annualised vols chosen so every ordering has no float ties; the median of the eleven finite
 * equity vols is 0.28 (XOM).
 */
export const UNIVERSE_ROWS: Row[] = [
  ['AAPL', 'Tech', 0.30, INTRADAY],
  ['MSFT', 'Tech', 0.25, INTRADAY],
  ['NVDA', 'Tech', 0.50],
  ['AMD', 'Tech', 0.60],
  ['MU', 'Tech', 0.45],
  ['XYZ', 'Tech', NaN],
  ['XOM', 'Energy', 0.28],
  ['CVX', 'Energy', 0.27],
  ['SLB', 'Energy', 0.40],
  ['JNJ', 'Health', 0.15],
  ['PFE', 'Health', 0.20],
  ['MRK', 'Health', 0.18],
  ['BTCUSD', 'Crypto', 0.80, INTRADAY, 'crypto'],
];
export const universe = (): UniverseView => fakeUniverse(UNIVERSE_ROWS);

export const DAY = 86_400_000;
/** 2016-01-04T00:00Z: a real calendar start, so anonymisation has real years to hide. */
export const T0 = Date.UTC(2016, 0, 4);

export interface RunSpec {
  symbol: string;
  sector: string;
  interval?: Interval;
  bars?: number;
  barMs?: number;
  /** [entry bar, exit bar, return] per trade. */
  trades?: Array<[number, number, number]>;
  /** Equity per bar; default: 1, compounded by each trade's return at its exit bar. */
  equity?: number[];
  barsPerYear?: number;
  metrics?: Partial<Metrics>;
}

export function makeRun(r: RunSpec): SeriesRun {
  const bars = r.equity?.length ?? r.bars ?? 100;
  const barMs = r.barMs ?? DAY;
  const time = Float64Array.from({ length: bars }, (_, i) => T0 + i * barMs);
  const trades = r.trades ?? [];
  const equity = new Float64Array(bars);
  if (r.equity !== undefined) equity.set(r.equity);
  else {
    let e = 1;
    for (let t = 0; t < bars; t++) {
      for (const [, exit, ret] of trades) if (exit === t) e *= 1 + ret;
      equity[t] = e;
    }
  }
  const metrics: Metrics = {
    total_return: 0, cagr: 0, sharpe: 0, sortino: 0, max_drawdown: 0, trades: trades.length, trades_per_year: 0,
    avg_trade_return: 0, win_rate: 0, profit_factor: null, exposure: 0, ...r.metrics,
  };
  return {
    key: { symbol: r.symbol, interval: r.interval ?? '1d' },
    sector: r.sector,
    segment: 'visible',
    time,
    equity,
    position: new Int8Array(bars),
    metrics,
    trades: {
      count: trades.length,
      side: Int8Array.from(trades.map(() => 1)),
      entryTime: Float64Array.from(trades.map(([a]) => time[a]!)),
      exitTime: Float64Array.from(trades.map(([, b]) => time[b]!)),
      ret: Float64Array.from(trades.map(([, , x]) => x)),
      bars: Int32Array.from(trades.map(([a, b]) => b - a)),
    },
    barsPerYear: r.barsPerYear ?? 252,
    drift: 0,
    market: new Float64Array(bars),
  };
}
