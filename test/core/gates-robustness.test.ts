import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import { robustness } from '../../src/core/gates/robustness.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { DAY, makeRun } from './gates-helpers.ts';
import type { TradeSpec } from './gates-helpers.ts';
import { mulberry32 } from './stats-helpers.ts';

// Robustness, gates@2 (docs/gates.md): retention of the mean EXCESS trade return, PASS at ≥ 0.5, FAIL when
// the one-sided upper bound is below 0.5, else INSUFFICIENT.

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};

// 2001 daily bars (5.5 years) from 2010-01-04; a trade entered every 10 bars (200 trades, about 3 a month).
// The span's 70 % point is bar 1400, its half bar 1000: train = entries at bars 0 … 1390 (140 trades), test =
// 1400 … 1990 (60), halves 100 + 100. Every part has well over 30 trades in over 12 months.
const START = Date.UTC(2010, 0, 4);
const N = 2001;
const run = (ret: (bar: number) => number): ReturnType<typeof makeRun> => {
  const trades: TradeSpec[] = Array.from({ length: 200 }, (_, i) => ({ entry: 10 * i, ret: ret(10 * i) }));
  return makeRun({ start: START, step: DAY, returns: new Array<number>(N - 1).fill(0), trades });
};
const A = 2 ** -7;

describe('robustness: train/test, halves and the subsample median', () => {
  it('a steady edge keeps all of it: every retention is exactly 1, PASS', () => {
    const v = robustness([run(() => A)], mulberry32(7));
    expect(byName(v, 'test_vs_train_retention').value).toBe(1);
    expect(byName(v, 'second_vs_first_half_retention').value).toBe(1);
    expect(byName(v, 'subsample_median_retention').value).toBe(1);
    expect(v).toMatchObject({ verdict: 'PASS', sample: { trades: 200 } });
  });

  it('an edge that turns negative after 70 % with no noise: ratio −1, its bound is −1 < 0.5: FAIL', () => {
    const v = robustness([run((b) => (b < 1400 ? A : -A))], mulberry32(7));
    const c = byName(v, 'test_vs_train_retention');
    expect(c.value).toBe(-1);
    expect(c.verdict).toBe('FAIL');
    expect(v.verdict).toBe('FAIL');
  });

  it('exactly half kept is the boundary: PASS', () => {
    // Halves: first A, second A/2 → retention 0.5 exactly (dyadic means).
    const v = robustness([run((b) => (b < 1000 ? A : A / 2))], mulberry32(7));
    expect(byName(v, 'second_vs_first_half_retention')).toMatchObject({ value: 0.5, verdict: 'PASS' });
  });

  it('a drop the noise can explain is INSUFFICIENT, not FAIL', () => {
    // Train: mean A with ±8A noise; test: mean 0.25A with the same noise. Retention 0.25 < 0.5, but with
    // 60 trades of sd 8A the test mean alone has a standard error near A: the bound is far above 0.5.
    const v = robustness([run((b) => (b < 1400 ? A : A / 4) + ((b / 10) % 2 === 0 ? 8 * A : -8 * A))], mulberry32(7));
    const c = byName(v, 'test_vs_train_retention');
    expect(c.value).toBeCloseTo(0.25, 12);
    expect(c.verdict).toBe('INSUFFICIENT');
  });

  it('no positive edge on the reference: nothing to retain, INSUFFICIENT', () => {
    const v = robustness([run((b) => (b < 1400 ? -A : A))], mulberry32(7));
    expect(byName(v, 'test_vs_train_retention')).toMatchObject({ value: null, verdict: 'INSUFFICIENT' });
    expect(byName(v, 'test_vs_train_retention').note).toBe('test (last 30.0% of the span) vs train: no positive edge on the reference to retain (mean excess -0.781%)');
  });

  it('a part below the minimum sample is INSUFFICIENT', () => {
    // 25 trades only: every part has fewer than 30.
    const trades: TradeSpec[] = Array.from({ length: 25 }, (_, i) => ({ entry: 80 * i, ret: A }));
    const v = robustness([makeRun({ start: START, step: DAY, returns: new Array<number>(N - 1).fill(0), trades })], mulberry32(7));
    expect(v.verdict).toBe('INSUFFICIENT');
    expect(byName(v, 'test_vs_train_retention').note).toBe('test (last 30.0% of the span) vs train: the reference has 18 trades in 18 clusters (judged from 30 in ≥ 12)');
  });

  it('the subsample check is the MEDIAN of the windows: scripted window starts give a hand-computed median', () => {
    // Edge A in the first 60 % of the span (bars < 1200), 0 after: full mean = (120·A + 0)/200 = 0.6A.
    // Windows are 50 % wide (1000 bars); a start u moves the window to [2000u·0.5 … ). With u = 0 the window
    // [0, 1000) holds 100 trades of A: retention A/0.6A = 5/3; with u = 1 the window [1000, 2000] holds 20
    // trades of A and 80 of 0 (plus the last bar's): 20A/100 / 0.6A = 1/3. Four of each → median (5/3 + 1/3)/2 = 1.
    let k = 0;
    const scripted = (): number => (k++ % 2 === 0 ? 0 : 1);
    const v = robustness([run((b) => (b < 1200 ? A : 0))], scripted);
    expect(k).toBe(DEFAULT_GATE_CONFIG.robustness.subsamples);
    expect(byName(v, 'subsample_median_retention').value).toBeCloseTo(1, 12);
    expect(byName(v, 'subsample_median_retention').verdict).toBe('PASS');
  });
});
