import type { RegimeLabels, SeriesRun } from '../research/run.ts';
import { barAt, regimeConcentration, type RegimePerformance, type RegimeStats } from '../gates/regimes.ts';
import { formatNumber } from '../format/numbers.ts';

export { barAt };

/**
 * Performance by market regime, computed by code: each trade is filed under the regime labelled at
 * its entry bar (the fill bar), so a regime's numbers are what a trader entering then would have got.
 */
export interface RegimeAggregate {
  dimension: 'volatility' | 'trend';
  regime: 'low' | 'mid' | 'high' | 'up' | 'down';
  trades: number;
  /** null without trades. */
  avg_trade_return: number | null;
  win_rate: number | null;
}

const VOL = ['low', 'mid', 'high'] as const;

/** `labels[i]` belongs to `runs[i]`; trades entered where a label is undefined (warm-up) are left out. */
export function regimeAggregates(runs: readonly SeriesRun[], labels: readonly RegimeLabels[]): RegimeAggregate[] {
  if (labels.length !== runs.length) throw new RangeError(`regimeAggregates: ${runs.length} runs but ${labels.length} label sets`);
  const acc = new Map<string, { n: number; sum: number; wins: number }>();
  const add = (k: string, ret: number): void => {
    const a = acc.get(k) ?? { n: 0, sum: 0, wins: 0 };
    a.n++;
    a.sum += ret;
    if (ret > 0) a.wins++;
    acc.set(k, a);
  };
  runs.forEach((r, i) => {
    const l = labels[i]!;
    for (let t = 0; t < r.trades.count; t++) {
      const bar = barAt(r.time, r.trades.entryTime[t]!);
      if (bar < 0) continue;
      const v = l.volatility[bar]!;
      if (v >= 0 && v <= 2) add(`volatility:${VOL[v]}`, r.trades.ret[t]!);
      const tr = l.trend[bar]!;
      if (tr !== 0) add(`trend:${tr > 0 ? 'up' : 'down'}`, r.trades.ret[t]!);
    }
  });
  const order: Array<[RegimeAggregate['dimension'], RegimeAggregate['regime']]> = [
    ['volatility', 'low'], ['volatility', 'mid'], ['volatility', 'high'], ['trend', 'up'], ['trend', 'down'],
  ];
  return order.map(([dimension, regime]) => {
    const a = acc.get(`${dimension}:${regime}`);
    return a === undefined
      ? { dimension, regime, trades: 0, avg_trade_return: null, win_rate: null }
      : { dimension, regime, trades: a.n, avg_trade_return: a.sum / a.n, win_rate: a.wins / a.n };
  });
}

/** "volatility high: 40 trades, avg trade 0.52%, win rate 58%": regimes with trades only. */
export function regimeFacts(aggregates: readonly RegimeAggregate[]): string[] {
  return aggregates
    .filter((a) => a.trades > 0)
    .map((a) => `${a.dimension} ${a.regime}: ${a.trades} trade${a.trades === 1 ? '' : 's'}, avg trade ${formatNumber(a.avg_trade_return!, 'percent')}, win rate ${formatNumber(a.win_rate!, 'percent')}`);
}

/**
 * The regime-expansion question, answered by code: does the edge live in only one regime? (≥ 75 %
 * of the positive PnL in one volatility tercile or one trend state.)
 */
export function concentrationFacts(perf: RegimePerformance): string[] {
  const line = (dimension: string, stats: readonly RegimeStats[]): string => {
    const c = regimeConcentration(stats);
    if (c.dominant === null) return `${dimension}: no regime made money`;
    const share = formatNumber(c.share!, 'percent');
    const name = c.dominant.replace(/^vol_|^trend_/, ''); // vol_high → high, trend_above → above
    return c.concentrated
      ? `${dimension}: the edge is concentrated — ${share} of the positive PnL came in the ${name} regime${c.othersNonPositive ? ', and the other regimes lost' : ''}`
      : `${dimension}: the edge is spread across regimes (largest share ${share}, ${name})`;
  };
  return [line('volatility', perf.volatility), line('trend', perf.trend)];
}
