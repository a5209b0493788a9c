import type { SeriesRun } from '../research/run.ts';
import { sharpeRatio } from '../stats/sharpe.ts';

/**
 * Performance by sector and stability across symbols, computed by code (DESIGN §6: "expansion by
 * sector uses aggregates computed by code"; the brief: never let an LLM find this in raw PnL).
 */
export interface SectorAggregate {
  sector: string;
  /** Distinct symbols, in the order they were first tested. */
  symbols: string[];
  trades: number;
  /** Mean of every trade return in the sector (trades pooled); null without trades. */
  avg_trade_return: number | null;
  /** Symbols whose own mean trade return (over all their runs) is > 0. No trades is not positive. */
  positive_symbols: number;
  /** positive_symbols / symbols: "stability across symbols". */
  stability: number;
  /** Sum of trade returns: the sector's share of the edge, before compounding. */
  pnl: number;
  /**
   * Annualised Sharpe of the sector's per-bar equity returns pooled (concatenated) over its runs,
   * scaled by √(mean bars per year). Concatenation needs no common calendar; null under 2 returns.
   */
  pooled_sharpe: number | null;
}

/** Sectors in the order their first run appears. */
export function sectorAggregates(runs: readonly SeriesRun[]): SectorAggregate[] {
  const bySector = new Map<string, SeriesRun[]>();
  for (const r of runs) {
    const list = bySector.get(r.sector);
    if (list === undefined) bySector.set(r.sector, [r]);
    else list.push(r);
  }
  return [...bySector].map(([sector, rs]) => aggregate(sector, rs));
}

function aggregate(sector: string, runs: SeriesRun[]): SectorAggregate {
  const perSymbol = new Map<string, { n: number; sum: number }>();
  let trades = 0;
  let pnl = 0;
  const returns: number[] = [];
  for (const r of runs) {
    const acc = perSymbol.get(r.key.symbol) ?? { n: 0, sum: 0 };
    for (let i = 0; i < r.trades.count; i++) {
      acc.sum += r.trades.ret[i]!;
      pnl += r.trades.ret[i]!;
    }
    acc.n += r.trades.count;
    perSymbol.set(r.key.symbol, acc);
    trades += r.trades.count;
    for (let t = 1; t < r.equity.length; t++) returns.push(r.equity[t]! / r.equity[t - 1]! - 1);
  }
  const positive = [...perSymbol.values()].filter((a) => a.n > 0 && a.sum / a.n > 0).length;
  const barsPerYear = runs.reduce((s, r) => s + r.barsPerYear, 0) / runs.length;
  return {
    sector,
    symbols: [...perSymbol.keys()],
    trades,
    avg_trade_return: trades > 0 ? pnl / trades : null,
    positive_symbols: positive,
    stability: positive / perSymbol.size,
    pnl,
    pooled_sharpe: returns.length >= 2 ? sharpeRatio(returns) * Math.sqrt(barsPerYear) : null,
  };
}
