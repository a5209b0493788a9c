import { check, judged, verdict } from '../research/gate.ts';
import type { Check, GateVerdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { DistributionConfig } from './config.ts';
import { isoDay } from './format.ts';
import { DAY_MS, equalWeightPortfolio, timeSpan } from './portfolio.ts';
import type { Portfolio } from './portfolio.ts';
import { pooledTrades } from './pooled-trades.ts';
import type { PooledTrades } from './pooled-trades.ts';
import { gainsBy, isoWeek, isoWeekStart, largestGain, utcDay } from './time-buckets.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Distribution (DESIGN §6): the profit must not come from a handful of trades, days, weeks or one
 * burst of activity. Every share is checked as `value ≤ threshold` (the boundary passes, like every
 * other gate), so DESIGN's "no day ≥ 25 %" is enforced as "no day > 25 %".
 * - top_trades_share: the `topTrades` best trade returns ÷ the sum of all trade returns (pooled);
 * - max_day_share / max_week_share: the largest UTC-day / ISO-week equity gain of the equal-weight
 *   portfolio ÷ its whole gain (final equity − 1);
 * - max_slice_trade_share: the most trade entries in any window `sliceFraction` of the tested time
 *   span wide (half-open, slid over every entry) ÷ all trades.
 * When the total PnL or the portfolio gain is ≤ 0 the share is undefined and the check fails with a
 * note: a strategy that lost has nothing to distribute.
 */
export function distribution(runs: readonly SeriesRun[], config: DistributionConfig = DEFAULT_GATE_CONFIG.distribution): GateVerdict {
  const trades = pooledTrades(runs);
  const p = equalWeightPortfolio(runs);
  const checks = [
    topTradesShare(trades, config),
    gainShare('max_day_share', p, utcDay, config.maxDayShare, (k) => `UTC day ${isoDay(k * DAY_MS)}`),
    gainShare('max_week_share', p, isoWeek, config.maxWeekShare, (k) => `ISO week starting ${isoDay(isoWeekStart(k))}`),
    sliceShare(runs, trades, config),
  ].map((c) => judgedFrom(c, trades.count, config.minTrades));
  return verdict('distribution', checks, { trades: trades.count });
}

/**
 * Three verdicts (docs/gates.md): below `minTrades` no share is judged (a few trades are always
 * concentrated); a share that cannot be measured (nothing gained to distribute) is not judged either —
 * whether there is a gain is the edge gate's question, not this one's.
 */
function judgedFrom(c: Check, count: number, minTrades: number): Check {
  if (count < minTrades) return judged(c.name, c.value, c.op, c.threshold, 'INSUFFICIENT', `${c.note === undefined ? '' : `${c.note}; `}judged from ${minTrades} trades, have ${count}`);
  if (c.value === null) return judged(c.name, c.value, c.op, c.threshold, 'INSUFFICIENT', c.note);
  return c;
}

function topTradesShare(trades: PooledTrades, config: DistributionConfig): Check {
  const name = 'top_trades_share';
  if (trades.count === 0) return check(name, null, '<=', config.maxTopTradesShare, 'no closed trades');
  let total = 0;
  for (const r of trades.ret) total += r;
  if (!(total > 0)) return check(name, null, '<=', config.maxTopTradesShare, `total PnL (Σ trade returns) ${formatNumber(total, 'value')} ≤ 0: a strategy that lost has nothing to distribute`);
  const sorted = Float64Array.from(trades.ret).sort().reverse();
  const k = Math.min(config.topTrades, sorted.length);
  let top = 0;
  for (let i = 0; i < k; i++) top += sorted[i]!;
  return check(name, top / total, '<=', config.maxTopTradesShare, `best ${k} of ${trades.count} trades sum to ${formatNumber(top, 'value')} of a total PnL of ${formatNumber(total, 'value')}`);
}

function gainShare(name: string, p: Portfolio, bucket: (t: number) => number, max: number, label: (key: number) => string): Check {
  if (p.returns.length === 0) return check(name, null, '<=', max, 'no portfolio returns');
  const gain = p.equity[p.equity.length - 1]! - 1;
  if (!(gain > 0)) return check(name, null, '<=', max, `portfolio gain ${formatNumber(gain, 'value')} ≤ 0: a strategy that lost has nothing to distribute`);
  const best = largestGain(gainsBy(p, bucket))!;
  return check(name, best.gain / gain, '<=', max, `${label(best.key)} gained ${formatNumber(best.gain, 'value')} of a total gain of ${formatNumber(gain, 'value')}`);
}

function sliceShare(runs: readonly SeriesRun[], trades: PooledTrades, config: DistributionConfig): Check {
  const name = 'max_slice_trade_share';
  const max = config.maxSliceTradeShare;
  if (trades.count === 0) return check(name, null, '<=', max, 'no closed trades');
  const span = timeSpan(runs);
  const width = span === null ? 0 : config.sliceFraction * (span.to - span.from);
  if (!(width > 0)) return check(name, null, '<=', max, 'the runs span no time');
  // Two pointers over sorted entries: [entry_i, entry_i + width) for every i. Any half-open window
  // can slide right until its left edge meets an entry without losing one, so these are enough.
  const e = trades.entryTime;
  let most = 0;
  let at = 0;
  for (let i = 0, j = 0; i < trades.count; i++) {
    while (j < trades.count && e[j]! < e[i]! + width) j++;
    if (j - i > most) {
      most = j - i;
      at = e[i]!;
    }
  }
  return check(name, most / trades.count, '<=', max, `${most} of ${trades.count} trades entered in the ${formatNumber(config.sliceFraction, 'percent')} slice starting ${new Date(at).toISOString()}`);
}
