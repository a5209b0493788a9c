import { check, verdict } from '../research/gate.ts';
import type { GateVerdict } from '../research/gate.ts';
import { seriesKeyText } from '../research/run.ts';
import type { SeriesRun } from '../research/run.ts';
import { sharpeRatio } from '../stats/index.ts';
import type { Meta } from '../spec/schema.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { HoldoutConfig } from './config.ts';
import { positiveCheck, retentionCheck } from './edge.ts';
import { equalWeightPortfolio } from './portfolio.ts';
import { avgTradeReturn, pooledTrades } from './pooled-trades.ts';

/**
 * The sealed holdout (DESIGN §6: the last 20 % of every series, opened once, at promotion). The
 * holdout keeps the edge when, pooled over the tested set:
 * - holdout_trades ≥ minTrades — fewer cannot show anything, and not proven is not passed;
 * - holdout_vs_visible_avg_trade_return = holdout avg ÷ visible avg ≥ minRetention, defined only when
 *   the visible avg is > 0 (so with minRetention > 0 the holdout avg is > 0 too);
 * - holdout_sharpe > 0: the per-bar Sharpe of the holdout's equal-weight portfolio.
 * `meta` is accepted for the Judge port's signature; no holdout criterion depends on it.
 */
export function holdout(visible: readonly SeriesRun[], sealed: readonly SeriesRun[], _meta: Pick<Meta, 'holding_period'>, config: HoldoutConfig = DEFAULT_GATE_CONFIG.holdout): GateVerdict {
  for (const r of sealed) if (r.segment !== 'holdout') throw new RangeError(`holdout gate: ${seriesKeyText(r.key)} is a '${r.segment}' run, not the holdout`);
  for (const r of visible) if (r.segment === 'holdout') throw new RangeError(`holdout gate: ${seriesKeyText(r.key)} is a holdout run passed as visible`);
  const seen = pooledTrades(visible);
  const held = pooledTrades(sealed);
  const enough = held.count >= config.minTrades;
  const { returns } = equalWeightPortfolio(sealed);
  const sharpe = returns.length >= 2 ? sharpeRatio(returns) : null;
  return verdict('holdout', [
    check('holdout_trades', held.count, '>=', config.minTrades, enough ? `pooled over ${sealed.length} holdout run(s)` : 'too few holdout trades to judge: not proven is not passed'),
    retentionCheck('holdout_vs_visible_avg_trade_return', avgTradeReturn(held), avgTradeReturn(seen), config.minRetention, `holdout (${held.count} trades) vs visible (${seen.count} trades)`),
    positiveCheck('holdout_sharpe', sharpe, `per-bar Sharpe of the holdout portfolio over ${returns.length} bars`),
  ]);
}
