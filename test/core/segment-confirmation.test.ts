import { describe, expect, it } from 'vitest';
import { segmentTable } from '../../src/core/director/segment-table.ts';
import { confirmation } from '../../src/core/gates/confirmation.ts';
import type { SeriesRun } from '../../src/core/research/run.ts';
import { studentTSurvival } from '../../src/core/stats/index.ts';
import { makeRun } from './director-fixtures.ts';

/** Trades one a month (31-day bars, one trade per bar pair): every trade is its own calendar cluster. */
function monthly(symbol: string, sector: string, rets: number[], segment: SeriesRun['segment'] = 'visible'): SeriesRun {
  const run = makeRun({ symbol, sector, bars: 2 * rets.length + 1, barMs: 31 * 86_400_000, trades: rets.map((r, i) => [2 * i, 2 * i + 1, r] as [number, number, number]) });
  return { ...run, segment };
}

/** CR1 with singleton clusters, written out: SE² = G/(G−1) · Σ(e − ē)² / n². */
function t1(e: number[]): number {
  const n = e.length;
  const mean = e.reduce((a, b) => a + b, 0) / n;
  const ss = e.reduce((a, b) => a + (b - mean) ** 2, 0);
  return mean / Math.sqrt((n / (n - 1)) * ss / (n * n));
}

const strong = Array.from({ length: 36 }, (_, i) => (i % 3 === 0 ? -0.004 : 0.012));
const flat = Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.0105));

describe('segmentTable', () => {
  it('tests each segment\'s excess trades with a clustered t, one-sided p on G − 1 df, Holm over the K screened', () => {
    const table = segmentTable([monthly('A', 'Tech', strong), monthly('B', 'Energy', flat)], { trades: 30, clusters: 12 });
    expect(table.k).toBe(2);
    const [energy, tech] = table.rows;
    expect(energy!.segment).toBe('Energy');
    expect(tech!.t).toBeCloseTo(t1(strong), 10);
    expect(energy!.t).toBeCloseTo(t1(flat), 10);
    const pTech = studentTSurvival(t1(strong), 35);
    const pEnergy = studentTSurvival(t1(flat), 35);
    expect(tech!.p).toBeCloseTo(pTech, 12);
    // Holm with m = 2: the smaller p doubled, the larger one at least that.
    expect(tech!.p_holm).toBeCloseTo(Math.min(1, 2 * pTech), 12);
    expect(energy!.p_holm).toBeCloseTo(Math.max(Math.min(1, 2 * pTech), pEnergy), 12);
    expect(tech!.holds).toBe(true);
    expect(energy!.holds).toBe(false);
  });

  it('a segment below the minimum sample has p = 1 but still counts in K', () => {
    const table = segmentTable([monthly('A', 'Tech', strong), monthly('B', 'Energy', strong.slice(0, 10))], { trades: 30, clusters: 12 });
    expect(table.rows[0]).toMatchObject({ segment: 'Energy', p: 1, p_holm: 1, holds: false });
    expect(table.rows[1]!.p_holm).toBeCloseTo(Math.min(1, 2 * studentTSurvival(t1(strong), 35)), 12);
    expect(segmentTable([], { trades: 30, clusters: 12 })).toEqual({ rows: [], k: 0, alpha: 0.05 });
  });
});

describe('confirmation gate', () => {
  it('pools the fresh and the holdout legs into one clustered t and passes at t ≥ 1.645', () => {
    const fresh = monthly('F', 'Tech', strong.slice(0, 18));
    const held = monthly('H', 'Tech', strong.slice(18), 'holdout');
    const v = confirmation([fresh], [held]);
    // Both legs share the calendar (each starts at the same month), so trade i of each leg is one cluster.
    const e = [...strong.slice(0, 18), ...strong.slice(18)];
    const n = e.length;
    const mean = e.reduce((a, b) => a + b, 0) / n;
    const sums = Array.from({ length: 18 }, (_, i) => (e[i]! - mean) + (e[18 + i]! - mean));
    const t = mean / Math.sqrt((18 / 17) * sums.reduce((a, u) => a + u * u, 0) / (n * n));
    expect(v.checks.find((c) => c.name === 'confirmation_t')!.value).toBeCloseTo(t, 10);
    expect(v.verdict).toBe('PASS');
    expect(v.sample).toMatchObject({ trades: 36, clusters: 18, fresh_symbols: 1, holdout_symbols: 1, fresh_trades: 18, holdout_trades: 18 });
  });

  it('fails when a leg\'s own mean excess is negative, even with a pooled t above the bar', () => {
    const good = monthly('F', 'Tech', Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? 0 : 0.02)));
    const bad = monthly('H', 'Tech', [-0.001, -0.001, 0.0005, -0.001], 'holdout');
    const v = confirmation([good], [bad]);
    expect(v.checks.find((c) => c.name === 'confirmation_t')!.verdict).toBe('PASS');
    expect(v.checks.find((c) => c.name === 'holdout_mean_excess')).toMatchObject({ verdict: 'FAIL', value: -0.000625 });
    expect(v.verdict).toBe('FAIL');
  });

  it('judges the holdout alone when the fresh leg was skipped, and fails flat data', () => {
    const v = confirmation([], [monthly('H', 'Tech', flat, 'holdout')]);
    expect(v.checks.map((c) => c.name)).toEqual(['confirmation_t', 'holdout_mean_excess', 'holdout_distribution']);
    expect(v.checks[0]!.value).toBeCloseTo(t1(flat), 10);
    expect(v.verdict).toBe('FAIL');
    expect(() => confirmation([], [monthly('H', 'Tech', flat)])).toThrow(/not the holdout/);
  });

  it('judges the distribution on each leg by itself: five trades carrying a leg fail it', () => {
    const lumpy = Array.from({ length: 100 }, (_, i) => (i % 20 === 0 ? 0.2 : -0.001));
    const v = confirmation([monthly('F', 'Tech', strong)], [monthly('H', 'Tech', lumpy, 'holdout')]);
    // Top 5 of the holdout leg: 5 × 0.2 = 1 of a total 1 − 95 × 0.001 = 0.905, a share of 1.105 > 0.5.
    // Compounded, the last +20 % bar gains 0.3844 of the whole 1.2627 gain: a day share of 0.3044 > 0.25.
    expect(v.checks.find((c) => c.name === 'holdout_distribution')).toMatchObject({ verdict: 'FAIL', note: 'the distribution gate fails on the holdout leg: top_trades_share 1.105, max_day_share 0.3044' });
    // The fresh leg has 36 trades, under the distribution gate's 100: not judged, so it does not fail.
    expect(v.checks.find((c) => c.name === 'fresh_distribution')).toMatchObject({ verdict: 'PASS', note: 'distribution INSUFFICIENT on the fresh leg (36 trades; judged from 100)' });
    expect(v.verdict).toBe('FAIL');
  });
});
