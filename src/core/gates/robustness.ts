import { judged, verdict } from '../research/gate.ts';
import type { Check, GateVerdict, Verdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import { clusteredCovariance, hasMinimumSample, normalQuantile, retentionBound } from '../stats/index.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { EdgeConfig, RobustnessConfig } from './config.ts';
import { excessSample } from './excess-sample.ts';
import type { ExcessSample } from './excess-sample.ts';
import { isoDay } from './format.ts';
import { timeSpan } from './portfolio.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Robustness (docs/gates.md): does the edge — the mean EXCESS trade return, trades attributed to the
 * window they were entered in — keep at least `minRetention` of its value on
 * - test (the last 1 − trainFraction of the span) vs train,
 * - the second half vs the first,
 * - the MEDIAN of K seeded random contiguous windows (subsampleFraction of the span) vs the full sample?
 * Per comparison: PASS when retention ≥ minRetention; FAIL when even its one-sided upper confidence
 * bound (delta method with clustered standard errors, covariance included where the parts overlap)
 * is below it — a collapse the noise cannot explain; otherwise INSUFFICIENT. A part short of the
 * minimum sample, or a reference without a positive edge, is INSUFFICIENT: nothing to retain yet.
 * The median of the K windows is the mean of the two middle ratios (K even), its bound the mean of
 * their two bounds.
 */
export function robustness(
  runs: readonly SeriesRun[], random: () => number,
  config: RobustnessConfig = DEFAULT_GATE_CONFIG.robustness, edge: EdgeConfig = DEFAULT_GATE_CONFIG.edge,
): GateVerdict {
  const min = config.minRetention;
  const span = timeSpan(runs);
  const s = excessSample(runs);
  const sample = { trades: s.count, clusters: s.clusters };
  if (span === null || !(span.to > span.from)) {
    const why = span === null ? 'no runs to judge' : 'the runs span no time';
    return verdict('robustness', [judged('test_vs_train_retention', null, '>=', min, 'INSUFFICIENT', why)], sample);
  }
  const { from, to } = span;
  const len = to - from;
  const z = normalQuantile(edge.confidence);
  const inWindow = (a: number, b: number, closedEnd: boolean): Uint8Array =>
    Uint8Array.from(s.entryTime, (t) => (t >= a && (t < b || (closedEnd && t === b)) ? 1 : 0));
  const all = new Uint8Array(s.count).fill(1);

  const split = from + config.trainFraction * len;
  const mid = from + 0.5 * len;
  const checks: Check[] = [
    compare('test_vs_train_retention', s, inWindow(from, split, false), inWindow(split, to, true), min, z, edge, `test (last ${formatNumber(1 - config.trainFraction, 'percent')} of the span) vs train`),
    compare('second_vs_first_half_retention', s, inWindow(from, mid, false), inWindow(mid, to, true), min, z, edge, 'second half vs first half'),
  ];

  const width = config.subsampleFraction * len;
  const parts: Measured[] = [];
  const starts: number[] = [];
  for (let k = 0; k < config.subsamples; k++) {
    const start = from + random() * (len - width);
    starts.push(start);
    parts.push(measure(s, all, inWindow(start, start + width, start + width >= to), z, edge));
  }
  checks.push(medianCheck('subsample_median_retention', parts, starts, min, config));
  return verdict('robustness', checks, sample);
}

type Measured = { ok: true; ratio: number; upper: number; nB: number } | { ok: false; why: string };

function measure(s: ExcessSample, inA: Uint8Array, inB: Uint8Array, z: number, edge: EdgeConfig): Measured {
  const c = clusteredCovariance(s.excess, s.cluster, inA, inB);
  const short = (n: number, g: number): boolean => !hasMinimumSample(n, g, edge.minTrades, edge.minClusters);
  if (short(c.nA, c.GA)) return { ok: false, why: `the reference has ${c.nA} trades in ${c.GA} clusters (judged from ${edge.minTrades} in ≥ ${edge.minClusters})` };
  if (short(c.nB, c.GB)) return { ok: false, why: `the part has ${c.nB} trades in ${c.GB} clusters (judged from ${edge.minTrades} in ≥ ${edge.minClusters})` };
  if (!(c.meanA > 0)) return { ok: false, why: `no positive edge on the reference to retain (mean excess ${formatNumber(c.meanA, 'percent')})` };
  const b = retentionBound(c, z);
  return { ok: true, ratio: b.ratio, upper: b.upper, nB: c.nB };
}

function decide(ratio: number, upper: number, min: number): Verdict {
  return ratio >= min ? 'PASS' : upper < min ? 'FAIL' : 'INSUFFICIENT';
}

function compare(name: string, s: ExcessSample, inA: Uint8Array, inB: Uint8Array, min: number, z: number, edge: EdgeConfig, what: string): Check {
  const m = measure(s, inA, inB, z, edge);
  if (!m.ok) return judged(name, null, '>=', min, 'INSUFFICIENT', `${what}: ${m.why}`);
  const v = decide(m.ratio, m.upper, min);
  return judged(name, m.ratio, '>=', min, v, `${what}, mean excess trade return; one-sided upper bound ${formatNumber(m.upper, 'value')}${v === 'FAIL' ? ` < ${formatNumber(min, 'value')}: a collapse the noise cannot explain` : ''}`);
}

function medianCheck(name: string, parts: readonly Measured[], starts: readonly number[], min: number, config: RobustnessConfig): Check {
  const head = `${parts.length} seeded random windows of ${formatNumber(config.subsampleFraction, 'percent')} of the span vs the full sample`;
  const bad = parts.findIndex((p) => !p.ok);
  if (bad >= 0) return judged(name, null, '>=', min, 'INSUFFICIENT', `${head}; window ${bad + 1} (from ${isoDay(starts[bad]!)}): ${(parts[bad] as { why: string }).why}`);
  const ok = (parts as Array<Extract<Measured, { ok: true }>>).slice().sort((a, b) => a.ratio - b.ratio);
  const k = ok.length >> 1;
  const [ratio, upper] = ok.length % 2 === 1 ? [ok[k]!.ratio, ok[k]!.upper] : [(ok[k - 1]!.ratio + ok[k]!.ratio) / 2, (ok[k - 1]!.upper + ok[k]!.upper) / 2];
  const v = decide(ratio, upper, min);
  const listed = ok.map((p) => formatNumber(p.ratio, 'value')).join(', ');
  return judged(name, ratio, '>=', min, v, `${head}; median retention, one-sided upper bound ${formatNumber(upper, 'value')}; ratios ${listed}`);
}
