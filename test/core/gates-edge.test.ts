import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import { edgeGate } from '../../src/core/gates/edge-gate.ts';
import { DAY, makeRun } from './gates-helpers.ts';
import type { TradeSpec } from './gates-helpers.ts';

// The edge gate (docs/gates.md): clustered t of the excess trade returns. Expected values are worked
// by hand in the comments, or come from the stats.md §8 vector.

const JAN_4_2010 = Date.UTC(2010, 0, 4);
const flat = (n: number): number[] => new Array<number>(n).fill(0);

/** One trade per calendar month: entries 31 days apart never share a month (no month has more than 31 days). */
function monthly(rets: readonly number[], opts: { drift?: number; hold?: number; side?: 1 | -1 } = {}) {
  const hold = opts.hold ?? 1;
  const trades: TradeSpec[] = rets.map((ret, i) => ({ entry: 31 * i, exit: 31 * i + hold, ret, side: opts.side ?? 1 }));
  return makeRun({ start: JAN_4_2010, step: DAY, returns: flat(31 * rets.length + hold + 1), trades, drift: opts.drift ?? 0 });
}

/**
 * 50 trades, one per cluster, 25 at 9·2⁻⁹ and 25 at −5·2⁻⁹: mean 2⁻⁸, every deviation ±7·2⁻⁹.
 * One trade per cluster makes CR1 the iid standard error: SE² = G/(G−1)·Σ(e−ē)²/n² = 50/49·50·49·2⁻¹⁸/2500
 * = 2⁻¹⁸, so SE = 2⁻⁹ and t = 2⁻⁸ / 2⁻⁹ = 2.
 */
const HI = 9 * 2 ** -9;
const LO = -5 * 2 ** -9;
const tTwo = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? HI : LO));

describe('edge gate: the clustered t of excess returns', () => {
  it('the stats.md §8 vector: 8 trades in 4 months give t = 1.66807757869394', () => {
    // Entries on 2010-01-04, 01-05 (Jan), 02-04, 02-05, 02-06 (Feb), 03-05 (Mar), 04-05, 04-06 (Apr).
    const e = [0.012, -0.004, 0.007, 0.003, -0.01, 0.015, 0.002, 0.006];
    const bars = [0, 1, 31, 32, 33, 60, 91, 92];
    const trades = e.map((ret, i) => ({ entry: bars[i]!, exit: bars[i]! + 1, ret }));
    const run = makeRun({ start: JAN_4_2010, step: DAY, returns: flat(100), trades });
    const small = { ...DEFAULT_GATE_CONFIG.edge, minTrades: 8, minClusters: 4 };
    const v = edgeGate([run], small);
    expect(v.checks[0]!.value).toBeCloseTo(1.66807757869394, 12);
    expect(v.verdict).toBe('INSUFFICIENT'); // between 0 and 2
    expect(v.sample).toEqual({ trades: 8, clusters: 4, symbols: 1 });
    expect(edgeGate([run], { ...small, minT: 1.6 }).verdict).toBe('PASS');
  });

  it('t = 2 exactly at the threshold: PASS with the minimum sample', () => {
    const v = edgeGate([monthly(tTwo)]);
    expect(v.checks[0]!.value).toBeCloseTo(2, 13);
    // The boundary itself: a threshold at the measured t passes, the next double above it does not.
    const t = v.checks[0]!.value!;
    expect(edgeGate([monthly(tTwo)], { ...DEFAULT_GATE_CONFIG.edge, minT: t }).verdict).toBe('PASS');
    const above = t + Math.abs(t) * Number.EPSILON;
    expect(edgeGate([monthly(tTwo)], { ...DEFAULT_GATE_CONFIG.edge, minT: above }).verdict).toBe('INSUFFICIENT');
  });

  it('t ≤ 0 with the minimum sample FAILs: t = 0 exactly and t = −2', () => {
    const zero = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 2 ** -8 : -(2 ** -8)));
    const v0 = edgeGate([monthly(zero)]);
    expect(v0.checks[0]!.value).toBe(0);
    expect(v0.verdict).toBe('FAIL');
    const neg = edgeGate([monthly(tTwo.map((x) => -x))]);
    expect(neg.checks[0]!.value).toBeCloseTo(-2, 13);
    expect(neg.verdict).toBe('FAIL');
  });

  it('below the minimum sample nothing is decided: 29 trades, or 30 trades in 11 clusters', () => {
    const neg29 = tTwo.slice(0, 29).map((x) => -x);
    expect(edgeGate([monthly(neg29)]).verdict).toBe('INSUFFICIENT');
    // 33 strongly positive trades packed into 11 months (3 a month, on days 0, 1, 2 of each 31-day block).
    const trades: TradeSpec[] = Array.from({ length: 33 }, (_, i) => ({ entry: 31 * Math.floor(i / 3) + (i % 3), ret: i % 2 === 0 ? 0.03 : 0.01 }));
    const run = makeRun({ start: JAN_4_2010, step: DAY, returns: flat(400), trades });
    const v = edgeGate([run]);
    expect(v.sample).toEqual({ trades: 33, clusters: 11, symbols: 1 });
    expect(v.checks[0]!.value!).toBeGreaterThan(2);
    expect(v.verdict).toBe('INSUFFICIENT');
  });

  it('drift is removed: long trades that earn exactly μ·h have no edge, shorts get the drift added back', () => {
    // stats.md §8: long r = 0.02, h = 5, μ = 0.001 → e = 0.015; short r = 0.01, h = 3 → e = 0.013.
    const long = edgeGate([monthly(tTwo.map((x) => x + 0.005), { drift: 0.001, hold: 5 })]);
    expect(long.checks[0]!.value).toBeCloseTo(2, 12); // e = r − 0.005 = the t = 2 sample
    const short = edgeGate([monthly(tTwo.map((x) => x - 0.003), { drift: 0.001, hold: 3, side: -1 })]);
    expect(short.checks[0]!.value).toBeCloseTo(2, 12); // e = r + 0.003
  });

  it('no trades: INSUFFICIENT with the reason', () => {
    const v = edgeGate([makeRun({ returns: flat(10) })]);
    expect(v.verdict).toBe('INSUFFICIENT');
    expect(v.checks[0]!.note).toBe('0 trades in 0 calendar clusters: no clustered standard error yet; judged from 30 trades in ≥ 12 clusters');
  });
});
