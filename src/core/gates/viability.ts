import { judged, onPassingSide, verdict } from '../research/gate.ts';
import type { Check, GateVerdict, Verdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { EdgeConfig, ViabilityConfig } from './config.ts';
import { excessSample, median } from './excess-sample.ts';
import type { ExcessSample } from './excess-sample.ts';
import { equalWeightPortfolio, maxDrawdown } from './portfolio.ts';
import { clusteredMean, hasMinimumSample, normalQuantile } from '../stats/index.ts';
import { formatNumber } from '../format/numbers.ts';

/** What viability needs to know beyond the runs: how many symbols the research scope holds. */
export interface ViabilityScope {
  /** Symbols in the research scope (the market, or the segments it was constrained to). */
  symbols: number;
}

/**
 * Viability (docs/gates.md), pooled over the tested set, three verdicts:
 * (a) scope_trade_rate = trades per symbol-year × symbols in scope, against a floor chosen by the
 *     MEASURED median holding time. PASS at or above it with the minimum sample; FAIL below it once
 *     the floor rate itself would have produced the minimum sample over the symbol-years seen (so a
 *     rare trader is not failed on five symbols); otherwise INSUFFICIENT.
 * (b) hedged_max_drawdown of the equal-weight portfolio hedged bar by bar with the equal-weight market at
 *     the same exposure; the raw drawdown is reported beside it. Judged from the minimum sample on.
 * (c) avg_net_trade_return ≥ the cost floor: PASS at or above it with the minimum sample; FAIL when
 *     even the one-sided upper confidence bound (clustered SE) is below the floor; else INSUFFICIENT.
 */
export function viability(
  runs: readonly SeriesRun[], scope: ViabilityScope,
  config: ViabilityConfig = DEFAULT_GATE_CONFIG.viability, edge: EdgeConfig = DEFAULT_GATE_CONFIG.edge,
): GateVerdict {
  const s = excessSample(runs);
  const enough = hasMinimumSample(s.count, s.clusters, edge.minTrades, edge.minClusters);
  const minimum = `minimum sample ${edge.minTrades} trades in ≥ ${edge.minClusters} calendar clusters; have ${s.count} in ${s.clusters}`;
  const interval = runs[0]?.key.interval ?? '1d';
  const floor = config.minAvgTradeReturn[interval];
  const checks: Check[] = [
    tradeRate(s, scope, config, edge),
    drawdown(runs, enough, minimum, Math.min(config.minDrawdownSymbols, scope.symbols), s.symbols, config),
    avgTradeReturn(s, enough, minimum, floor, interval, edge),
  ];
  return verdict('viability', checks, {
    trades: s.count, clusters: s.clusters, symbols: s.symbols, symbol_years: round(s.symbolYears), scope_symbols: scope.symbols,
  });
}

function tradeRate(s: ExcessSample, scope: ViabilityScope, config: ViabilityConfig, edge: EdgeConfig): Check {
  const hold = s.count > 0 ? median([...s.holdDays]) : null;
  const floor = hold === null || hold < 10 ? config.minScopeTradeRate.under10d : hold < 60 ? config.minScopeTradeRate.under60d : config.minScopeTradeRate.beyond;
  const band = hold === null ? 'no trades yet, so the strictest floor (holding under 10 days)' : `median holding ${formatNumber(hold, 'value')} days`;
  if (!(s.symbolYears > 0)) return judged('scope_trade_rate', null, '>=', floor, 'INSUFFICIENT', 'the runs span no time yet');
  const rate = (s.count / s.symbolYears) * scope.symbols;
  // Trades the floor rate would have produced over the symbol-years seen: below the minimum, a low
  // observed rate is not evidence yet (few symbols, short spans).
  const expectedAtFloor = (floor / scope.symbols) * s.symbolYears;
  const how = `${s.count} trades over ${formatNumber(s.symbolYears, 'value')} symbol-years × ${scope.symbols} symbols in scope; ${band}`;
  let v: Verdict;
  if (rate >= floor) v = s.count >= edge.minTrades ? 'PASS' : 'INSUFFICIENT';
  else v = expectedAtFloor >= edge.minTrades ? 'FAIL' : 'INSUFFICIENT';
  const why = v === 'INSUFFICIENT'
    ? rate >= floor ? `; judged from ${edge.minTrades} trades` : `; the floor rate would give ${formatNumber(expectedAtFloor, 'value')} trades over these symbol-years, judged from ${edge.minTrades}`
    : '';
  return judged('scope_trade_rate', rate, '>=', floor, v, how + why);
}

function drawdown(runs: readonly SeriesRun[], enough: boolean, minimum: string, minSymbols: number, symbols: number, config: ViabilityConfig): Check {
  const hedged = maxDrawdown(equalWeightPortfolio(runs, { hedged: true }).equity);
  const raw = maxDrawdown(equalWeightPortfolio(runs).equity);
  const note = `equal-weight portfolio of ${runs.length} run(s) hedged with the equal-weight market at the same exposure; raw drawdown ${formatNumber(raw, 'percent')}`;
  if (!enough) return judged('hedged_max_drawdown', hedged, '<=', config.maxHedgedDrawdown, 'INSUFFICIENT', `${note}; ${minimum}`);
  if (symbols < minSymbols) return judged('hedged_max_drawdown', hedged, '<=', config.maxHedgedDrawdown, 'INSUFFICIENT', `${note}; judged on ${minSymbols} symbols or more, have ${symbols}: the drawdown of a few names is their own risk, which more names diversify`);
  return judged('hedged_max_drawdown', hedged, '<=', config.maxHedgedDrawdown, onPassingSide(hedged, '<=', config.maxHedgedDrawdown) ? 'PASS' : 'FAIL', note);
}

function avgTradeReturn(s: ExcessSample, enough: boolean, minimum: string, floor: number, interval: string, edge: EdgeConfig): Check {
  if (s.count === 0) return judged('avg_net_trade_return', null, '>=', floor, 'INSUFFICIENT', 'no closed trades yet');
  const m = clusteredMean(s.ret, s.cluster);
  const z = normalQuantile(edge.confidence);
  const upper = Number.isFinite(m.se) ? m.mean + z * m.se : Infinity;
  const note = `mean of ${s.count} net trade returns (costs included), floor for ${interval}; one-sided ${formatNumber(edge.confidence, 'percent')} upper bound ${Number.isFinite(upper) ? formatNumber(upper, 'percent') : 'unmeasured'} (clustered SE)`;
  if (!enough) return judged('avg_net_trade_return', m.mean, '>=', floor, 'INSUFFICIENT', `${note}; ${minimum}`);
  const v: Verdict = m.mean >= floor ? 'PASS' : upper < floor ? 'FAIL' : 'INSUFFICIENT';
  return judged('avg_net_trade_return', m.mean, '>=', floor, v, v === 'INSUFFICIENT' ? `${note}: below the floor, but the bound does not rule the floor out yet` : note);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
