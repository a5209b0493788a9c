import { describe, expect, it } from 'vitest';
import { equalWeightPortfolio, maxDrawdown, pooledSharpe, unionYears } from '../../src/core/gates/portfolio.ts';
import { isoWeek, utcDay } from '../../src/core/gates/time-buckets.ts';
import { CENTI_YEAR, DAY, MONDAY, YEAR, makeRun, simpleSharpe } from './gates-helpers.ts';

describe('equal-weight portfolio', () => {
  it('aligns runs on the union of bar times; a run without a bar contributes 0', () => {
    // A: bars at 0, 1, 2 days with returns +0.1, −0.2.  B: bars at 0.5, 1.5 days with return +0.4.
    // Union times 0, .5, 1, 1.5, 2. Portfolio returns (mean over both runs):
    //   t=.5: B's first bar, no return → 0;  t=1: (0.1 + 0)/2 = 0.05;  t=1.5: (0 + 0.4)/2 = 0.2;  t=2: (−0.2 + 0)/2 = −0.1
    // Equity 1, 1, 1.05, 1.26, 1.134.
    const a = makeRun({ returns: [0.1, -0.2] });
    const b = makeRun({ start: MONDAY + DAY / 2, returns: [0.4] });
    const p = equalWeightPortfolio([a, b]);
    expect([...p.time]).toEqual([0, 0.5, 1, 1.5, 2].map((d) => MONDAY + d * DAY));
    const want = [0, 0.05, 0.2, -0.1];
    p.returns.forEach((r, i) => expect(r).toBeCloseTo(want[i]!, 14));
    const eq = [1, 1, 1.05, 1.26, 1.134];
    p.equity.forEach((e, i) => expect(e).toBeCloseTo(eq[i]!, 14));
  });

  it('rebalances every bar: two mirror-image runs net to a flat portfolio with no drawdown', () => {
    // A: +0.2 then −0.2 (equity 1, 1.2, 0.96: drawdown 0.2). B: −0.2 then +0.2 (1, 0.8, 0.96: drawdown 0.2).
    // Rebalanced to ½ each bar: returns (0.2 − 0.2)/2 = 0 twice → equity stays 1, drawdown 0.
    // (Buy-and-hold halves would give 1, 1, 0.96 — a 4 % drawdown — so this pins the rebalancing.)
    const a = makeRun({ returns: [0.2, -0.2] });
    const b = makeRun({ returns: [-0.2, 0.2] });
    expect(maxDrawdown(a.equity)).toBeCloseTo(0.2, 14);
    const p = equalWeightPortfolio([a, b]);
    expect([...p.equity]).toEqual([1, 1, 1]);
    expect(maxDrawdown(p.equity)).toBe(0);
  });

  it('handles no runs and one-bar runs without NaN', () => {
    const p = equalWeightPortfolio([]);
    expect(p.time.length).toBe(0);
    expect(p.returns.length).toBe(0);
    expect(maxDrawdown(p.equity)).toBe(0);
    expect(pooledSharpe([makeRun({ returns: [] })])).toBe(0);
  });

  it('pooledSharpe is the per-bar Sharpe of the portfolio returns', () => {
    // One run, so the portfolio returns are the run's returns: mean/std(ddof 1) by the simple implementation.
    const r = [0.01, -0.005, 0.02, 0.0, -0.01, 0.015];
    expect(pooledSharpe([makeRun({ returns: r })])).toBeCloseTo(simpleSharpe(r), 12);
  });

  it('maxDrawdown: 1 → 1.25 → 0.9375 is exactly 25 %', () => {
    // 1 − 0.9375 / 1.25 = 1 − 0.75 = 0.25 (all dyadic, exact).
    expect(maxDrawdown([1, 1.25, 0.9375, 1.1])).toBe(0.25);
  });
});

describe('unionYears', () => {
  it('counts overlapping runs once and gaps not at all', () => {
    const y1 = makeRun({ step: CENTI_YEAR, returns: new Array(100).fill(0) }); // exactly 1 year
    const y1again = makeRun({ symbol: 'BBB', step: CENTI_YEAR, returns: new Array(100).fill(0) });
    const y3 = makeRun({ start: MONDAY + 2 * YEAR, step: CENTI_YEAR, returns: new Array(100).fill(0) }); // year 3
    const half = makeRun({ start: MONDAY + 0.5 * YEAR, step: CENTI_YEAR, returns: new Array(100).fill(0) }); // 0.5 → 1.5
    expect(unionYears([y1])).toBeCloseTo(1, 12);
    expect(unionYears([y1, y1again])).toBeCloseTo(1, 12);
    expect(unionYears([y1, y3])).toBeCloseTo(2, 12); // [0,1] ∪ [2,3]
    expect(unionYears([y3, half, y1])).toBeCloseTo(2.5, 12); // [0,1.5] ∪ [2,3]
    expect(unionYears([])).toBe(0);
  });
});

describe('time buckets', () => {
  it('UTC days and ISO weeks (Monday–Sunday)', () => {
    expect(utcDay(Date.UTC(2020, 0, 6, 23, 59))).toBe(utcDay(Date.UTC(2020, 0, 6)));
    expect(utcDay(Date.UTC(2020, 0, 7))).toBe(utcDay(Date.UTC(2020, 0, 6)) + 1);
    // 2020-01-06 is a Monday: Monday … Sunday 12th one week, Monday 13th the next.
    expect(isoWeek(Date.UTC(2020, 0, 12, 23))).toBe(isoWeek(Date.UTC(2020, 0, 6)));
    expect(isoWeek(Date.UTC(2020, 0, 13))).toBe(isoWeek(Date.UTC(2020, 0, 6)) + 1);
    // ISO week 1 of 2020 runs Mon 2019-12-30 … Sun 2020-01-05, across the year end.
    expect(isoWeek(Date.UTC(2019, 11, 30))).toBe(isoWeek(Date.UTC(2020, 0, 5)));
    expect(isoWeek(Date.UTC(2019, 11, 29))).toBe(isoWeek(Date.UTC(2019, 11, 30)) - 1);
    // Before 1970 too: Sunday 1969-12-28 and Monday 1969-12-29 differ.
    expect(isoWeek(Date.UTC(1969, 11, 29))).toBe(isoWeek(Date.UTC(1969, 11, 28)) + 1);
  });
});
