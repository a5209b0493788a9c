import { judged, verdict } from '../research/gate.ts';
import type { Check, GateVerdict } from '../research/gate.ts';
import { seriesKeyText } from '../research/run.ts';
import type { SeriesRun } from '../research/run.ts';
import { clusteredMean } from '../stats/index.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { ConfirmationConfig, DistributionConfig } from './config.ts';
import { distribution } from './distribution.ts';
import { excessSample, meanExcess, type ExcessSample } from './excess-sample.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * The confirmation (docs/gates.md): one look, after the registration, on data the session never saw —
 * leg 1, fresh symbols over the visible window (may be empty: skipped when the scope had too few
 * untested symbols); leg 2, the sealed holdout after the common cut date. The legs are pooled into one
 * sample of excess trade returns, clustered by calendar period (fresh symbols share dates with each
 * other and with the screen, so trades of one month are one cluster). It passes when
 * - confirmation_t ≥ minT (one-sided 95 %: 1.645);
 * - no leg's own mean excess return is negative (a leg without trades says nothing and is not checked);
 * - the distribution gate does not FAIL on either leg. Each leg is judged on its own: the legs cover
 *   different windows (the fresh symbols the visible years, the holdout the last fifth), so pooled, any
 *   5 % time slice inside the holdout would hold the holdout's share of all trades whatever the edge.
 * Anything else is DEAD: there is no INSUFFICIENT here, because the sample was fixed before the look.
 */
export function confirmation(
  fresh: readonly SeriesRun[], held: readonly SeriesRun[],
  config: ConfirmationConfig = DEFAULT_GATE_CONFIG.confirmation, dist: DistributionConfig = DEFAULT_GATE_CONFIG.distribution,
): GateVerdict {
  for (const r of held) if (r.segment !== 'holdout') throw new RangeError(`confirmation: ${seriesKeyText(r.key)} is a '${r.segment}' run, not the holdout`);
  for (const r of fresh) if (r.segment !== 'visible') throw new RangeError(`confirmation: fresh symbol ${seriesKeyText(r.key)} is a '${r.segment}' run, not the visible window`);
  const all = [...fresh, ...held];
  const s = excessSample(all);
  const freshSample = excessSample(fresh);
  const heldSample = excessSample(held);
  const e = s.count >= 2 ? clusteredMean(s.excess, s.cluster) : null;
  const t = e !== null && Number.isFinite(e.t) ? e.t : null;
  const checks: Check[] = [
    judged('confirmation_t', t, '>=', config.minT, t !== null && t >= config.minT ? 'PASS' : 'FAIL',
      e === null ? `${s.count} trade(s) on the confirmation data: nothing to confirm` : `mean excess trade return ${formatNumber(e.mean, 'percent')}, clustered SE ${formatNumber(e.se, 'percent')} over ${e.n} trades in ${e.G} calendar clusters (fresh and holdout pooled)`),
    legCheck('fresh_mean_excess', fresh, freshSample, 'fresh symbols over the visible window'),
    legCheck('holdout_mean_excess', held, heldSample, 'the sealed holdout after the common cut date'),
  ].filter((c): c is Check => c !== null);
  for (const [name, runs] of [['fresh', fresh], ['holdout', held]] as const) {
    if (runs.length === 0) continue;
    const d = distribution(runs, dist);
    const failed = d.checks.filter((c) => c.verdict === 'FAIL');
    checks.push(judged(`${name}_distribution`, d.verdict === 'FAIL' ? 0 : 1, '>=', 1, d.verdict === 'FAIL' ? 'FAIL' : 'PASS',
      d.verdict === 'FAIL' ? `the distribution gate fails on the ${name} leg: ${failed.map((c) => `${c.name} ${c.value === null ? 'unmeasured' : formatNumber(c.value, 'value')}`).join(', ')}`
        : `distribution ${d.verdict} on the ${name} leg (${d.sample.trades ?? 0} trades; judged from ${dist.minTrades})`));
  }
  return verdict('confirmation', checks, {
    trades: s.count, clusters: s.clusters, fresh_symbols: new Set(fresh.map((r) => r.key.symbol)).size, holdout_symbols: new Set(held.map((r) => r.key.symbol)).size,
    fresh_trades: freshSample.count, holdout_trades: heldSample.count,
  });
}

/** A leg's own mean excess must not be negative; a leg that ran no trade (or did not run) is not judged. */
function legCheck(name: string, runs: readonly SeriesRun[], s: ExcessSample, what: string): Check | null {
  const mean = meanExcess(s);
  if (mean === null) return runs.length === 0 ? null : judged(name, null, '>=', 0, 'PASS', `no trade on ${what}: this leg adds nothing`);
  return judged(name, mean, '>=', 0, mean >= 0 ? 'PASS' : 'FAIL', `${s.count} trades on ${what} (${runs.length} series)`);
}
