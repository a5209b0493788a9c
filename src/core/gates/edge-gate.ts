import { judged, verdict } from '../research/gate.ts';
import type { GateVerdict, Verdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { EdgeConfig } from './config.ts';
import { excessSample } from './excess-sample.ts';
import { clusteredMean, hasMinimumSample } from '../stats/index.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Edge (docs/gates.md): is the mean EXCESS trade return (net return minus the drift a random holding of
 * the same length and side earns) positive beyond the noise? t = mean / SE with SE clustered by the
 * calendar period of entry (CR1). PASS: t ≥ minT with the minimum sample. FAIL: t ≤ 0 with the minimum
 * sample — the sample points the other way. Otherwise INSUFFICIENT: more symbols or bars decide it.
 */
export function edgeGate(runs: readonly SeriesRun[], config: EdgeConfig = DEFAULT_GATE_CONFIG.edge): GateVerdict {
  const s = excessSample(runs);
  const enough = hasMinimumSample(s.count, s.clusters, config.minTrades, config.minClusters);
  const sample = { trades: s.count, clusters: s.clusters, symbols: s.symbols };
  if (s.count < 2 || s.clusters < 2) {
    return verdict('edge', [judged('edge_t', null, '>=', config.minT, 'INSUFFICIENT', `${s.count} trades in ${s.clusters} calendar clusters: no clustered standard error yet; judged from ${config.minTrades} trades in ≥ ${config.minClusters} clusters`)], sample);
  }
  // The edge statistic: CR1 clustered t of the excess returns (docs/statistics.md).
  const e = clusteredMean(s.excess, s.cluster);
  let rawSum = 0;
  for (const r of s.ret) rawSum += r;
  const note = `mean excess trade return ${formatNumber(e.mean, 'percent')} (raw ${formatNumber(rawSum / s.count, 'percent')}), clustered SE ${formatNumber(e.se, 'percent')} over ${e.n} trades in ${e.G} calendar clusters`;
  let v: Verdict = 'INSUFFICIENT';
  if (enough && e.t >= config.minT) v = 'PASS';
  else if (enough && e.t <= 0) v = 'FAIL';
  const why = !enough ? `; judged from ${config.minTrades} trades in ≥ ${config.minClusters} clusters`
    : v === 'INSUFFICIENT' ? `; between 0 and ${formatNumber(config.minT, 'value')}: not decided yet`
      : v === 'FAIL' ? '; t ≤ 0 with the minimum sample: the excess returns point against the idea' : '';
  return verdict('edge', [judged('edge_t', Number.isFinite(e.t) ? e.t : null, '>=', config.minT, v, note + why)], sample);
}
