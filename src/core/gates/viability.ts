import { check, verdict } from '../research/gate.ts';
import type { Check, GateVerdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import type { Meta } from '../spec/schema.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { ViabilityConfig } from './config.ts';
import { fmt } from './format.ts';
import { equalWeightPortfolio, maxDrawdown, unionYears } from './portfolio.ts';
import { avgTradeReturn, pooledTrades } from './pooled-trades.ts';

/**
 * Viability (DESIGN §6), pooled over the tested symbol × interval set:
 * - trades_per_year = every closed trade of every run ÷ the calendar years covered by at least one
 *   run (`unionYears`: overlapping runs count once, gaps between them not at all); the minimum
 *   depends on `meta.holding_period`;
 * - max_drawdown of the equal-weight, per-bar rebalanced portfolio (`equalWeightPortfolio`);
 * - avg_trade_return = mean over every trade of every run.
 * With no trades the trade checks fail at value 0 with a note: a strategy that never traded has
 * shown nothing.
 */
export function viability(runs: readonly SeriesRun[], meta: Pick<Meta, 'holding_period'>, config: ViabilityConfig = DEFAULT_GATE_CONFIG.viability): GateVerdict {
  const minRate = config.minTradesPerYear[meta.holding_period];
  if (runs.length === 0) {
    const none = 'no runs to judge';
    return verdict('viability', [
      check('trades_per_year', null, '>=', minRate, none),
      check('max_drawdown', null, '<=', config.maxDrawdown, none),
      check('avg_trade_return', null, '>=', config.minAvgTradeReturn, none),
    ]);
  }
  const trades = pooledTrades(runs);
  const years = unionYears(runs);
  const where = `${runs.length} run(s) pooled`;
  const checks: Check[] = [];

  if (trades.count === 0) checks.push(check('trades_per_year', 0, '>=', minRate, `no closed trades (${where})`));
  else if (!(years > 0)) checks.push(check('trades_per_year', null, '>=', minRate, `${trades.count} trades but the runs span no time`));
  else checks.push(check('trades_per_year', trades.count / years, '>=', minRate, `${trades.count} trades over ${fmt(years)} years (${where}); ${meta.holding_period} holding period`));

  const p = equalWeightPortfolio(runs);
  checks.push(check('max_drawdown', maxDrawdown(p.equity), '<=', config.maxDrawdown, `equal-weight portfolio of ${runs.length} run(s), rebalanced every bar`));

  const avg = avgTradeReturn(trades);
  checks.push(avg === null
    ? check('avg_trade_return', 0, '>=', config.minAvgTradeReturn, 'no closed trades')
    : check('avg_trade_return', avg, '>=', config.minAvgTradeReturn, `mean of ${trades.count} trades`));

  return verdict('viability', checks);
}
