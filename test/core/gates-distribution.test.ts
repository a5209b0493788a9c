import { describe, expect, it } from 'vitest';
import { distribution } from '../../src/core/gates/distribution.ts';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { CENTI_YEAR, DAY, evenTrades, makeRun } from './gates-helpers.ts';
import type { TradeSpec } from './gates-helpers.ts';

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};
// The share rules below are judged with no minimum sample, so the small hand-built cases reach them; the
// gates@2 minimum of 100 trades has its own tests at the end.
const D = { ...DEFAULT_GATE_CONFIG.distribution, minTrades: 0 };

describe('distribution: top trades share of total PnL', () => {
  // Dyadic returns so every sum is exact.
  it('top 5 = exactly 50 % passes', () => {
    // 5 × 0.0625 = 0.3125 on top, 10 × 0.03125 = 0.3125 below; total 0.625; share 0.3125/0.625 = 0.5.
    const trades = [...evenTrades(5, 0.0625, 0, 7), ...evenTrades(10, 0.03125, 40, 3)];
    const c = byName(distribution([makeRun({ returns: new Array(80).fill(0), trades })], D), 'top_trades_share');
    expect(c).toMatchObject({ value: 0.5, threshold: 0.5, pass: true });
  });

  it('top 5 = 2/3 fails', () => {
    // 0.3125 of a total 0.3125 + 10 × 0.015625 = 0.46875 → 2/3.
    const trades = [...evenTrades(5, 0.0625, 0, 7), ...evenTrades(10, 0.015625, 40, 3)];
    const c = byName(distribution([makeRun({ returns: new Array(80).fill(0), trades })], D), 'top_trades_share');
    expect(c.value).toBeCloseTo(2 / 3, 15);
    expect(c.pass).toBe(false);
  });

  it('picks the best 5 by return across runs, not the first 5', () => {
    // Run A: 0.01 × 10; run B: 0.1 × 2 and −0.05 × 3. Total 0.1 + 0.2 − 0.15 = 0.15.
    // Best five: 0.1, 0.1, 0.01, 0.01, 0.01 = 0.23 → share 0.23 / 0.15 ≈ 1.533 (> 1: the losers eat the rest).
    const a = makeRun({ returns: new Array(40).fill(0), trades: evenTrades(10, 0.01, 0, 3) });
    const b = makeRun({ symbol: 'BBB', returns: new Array(40).fill(0), trades: [...evenTrades(3, -0.05, 1, 3), ...evenTrades(2, 0.1, 20, 3)] });
    const c = byName(distribution([a, b], D), 'top_trades_share');
    expect(c.value).toBeCloseTo(0.23 / 0.15, 12);
    expect(c.pass).toBe(false);
  });

  it('a total PnL ≤ 0 fails with a note; no trades fails unmeasured', () => {
    const lost = byName(distribution([makeRun({ returns: [0, 0, 0], trades: [{ entry: 0, ret: 0.01 }, { entry: 1, ret: -0.02 }] })]), 'top_trades_share');
    expect(lost).toMatchObject({ value: null, pass: false });
    expect(lost.note).toMatch(/≤ 0: a strategy that lost has nothing to distribute/);
    const none = byName(distribution([makeRun({ returns: [0, 0] })]), 'top_trades_share');
    expect(none).toMatchObject({ value: null, pass: false, verdict: 'INSUFFICIENT', note: 'no closed trades; judged from 100 trades, have 0' });
  });
});

describe('distribution: day and week shares of the portfolio gain', () => {
  it('steady gains pass: 27 daily returns of 1 % from a Monday', () => {
    // Bars Mon 2020-01-06 … Sun 2020-02-02 (28 bars), r = 0.01 on bars 1…27. Equity E_k = 1.01^k.
    // Gain G = 1.01^27 − 1. Largest day: the last, 1.01^26 · 0.01. Largest week: the last, bars 21…27,
    // 1.01^27 − 1.01^20 (week 1 has only 6 returns since bar 0 has none).
    const run = makeRun({ returns: new Array(27).fill(0.01), trades: evenTrades(20, 0.01, 0, 1) });
    const v = distribution([run], D);
    const G = 1.01 ** 27 - 1;
    expect(byName(v, 'max_day_share').value).toBeCloseTo((1.01 ** 26 * 0.01) / G, 12); // ≈ 0.0420
    expect(byName(v, 'max_week_share').value).toBeCloseTo((1.01 ** 27 - 1.01 ** 20) / G, 12); // ≈ 0.2856
    expect(byName(v, 'max_day_share').pass).toBe(true);
    expect(byName(v, 'max_week_share').pass).toBe(true);
  });

  it('one big day fails; the boundary passes (2/3 with a threshold of 2/3)', () => {
    // Daily bars, equity 1 → 2 → 4 (r = 1, 1): day gains 1 and 2 of a total 3 → max share 2/3.
    const run = makeRun({ returns: [1, 1], trades: evenTrades(2, 0.5) });
    const fail = byName(distribution([run], D), 'max_day_share');
    expect(fail.value).toBeCloseTo(2 / 3, 15);
    expect(fail.pass).toBe(false);
    const at = byName(distribution([run], { ...D, maxDayShare: 2 / 3 }), 'max_day_share');
    expect(at).toMatchObject({ value: 2 / 3, threshold: 2 / 3, pass: true });
    expect(at.note).toMatch(/UTC day 2020-01-08/);
  });

  it('buckets by UTC day: several bars in one day add up', () => {
    // 6-hour bars from Monday 00:00: returns r1..r4 land at 06, 12, 18 h Monday and 00 h Tuesday.
    // Equity 1 → 1.5 → 1.5 → 1.5 → 2.25 (r = .5, 0, 0, .5). Monday gains 0.5, Tuesday 0.75; G = 1.25.
    // Max share 0.75 / 1.25 = 0.6 (Tuesday), not 0.5/1.25 per bar.
    const run = makeRun({ step: DAY / 4, returns: [0.5, 0, 0, 0.5], trades: evenTrades(2, 0.1) });
    expect(byName(distribution([run], D), 'max_day_share').value).toBeCloseTo(0.6, 15);
  });

  it('one big week fails: equity doubles in week 2 after a small week 1', () => {
    // 14 daily bars Mon…Sun, Mon…Sun. Week 1: r = 0 except bar 3 (+0.25): E 1 → 1.25.
    // Week 2: bar 7 (Monday) r = +0.6: 1.25 → 2, then flat. G = 1; week gains .25 and .75 → max 0.75 > 0.4.
    // Days: the largest is 0.75 (Monday of week 2) > 0.25 as well.
    const r = new Array(13).fill(0);
    r[2] = 0.25; // bar 3
    r[6] = 0.6; // bar 7
    const v = distribution([makeRun({ returns: r, trades: evenTrades(10, 0.01) })], D);
    expect(byName(v, 'max_week_share').value).toBeCloseTo(0.75, 14);
    expect(byName(v, 'max_week_share').pass).toBe(false);
    expect(byName(v, 'max_week_share').note).toMatch(/ISO week starting 2020-01-13/);
  });

  it('a portfolio that lost or stayed flat has no gain to distribute: fails with a note', () => {
    for (const returns of [[0.1, -0.2], [0, 0]]) {
      const v = distribution([makeRun({ returns, trades: evenTrades(2, 0.01) })], D);
      for (const name of ['max_day_share', 'max_week_share']) {
        expect(byName(v, name)).toMatchObject({ value: null, pass: false });
        expect(byName(v, name).note).toMatch(/nothing to distribute/);
      }
    }
  });
});

describe('distribution: trades crowded in a 5 % slice of the span', () => {
  // 101 bars one 1/100 year apart: the span is 100 steps, a 5 % slice is 5 steps wide.
  const bars = new Array(100).fill(0);
  const spread: TradeSpec[] = evenTrades(15, 0.01, 30, 4); // bars 30, 34, …, 86: at most 2 per 5-step window

  it('5 of 20 trades in one slice is exactly 25 %: passes', () => {
    // Cluster at bars 10…14 (the half-open window [10, 15) holds all five; bar 15 would be outside).
    const trades = [...evenTrades(5, 0.01, 10, 1), ...spread];
    const c = byName(distribution([makeRun({ step: CENTI_YEAR, returns: bars, trades })], D), 'max_slice_trade_share');
    expect(c).toMatchObject({ value: 0.25, pass: true });
  });

  it('6 of 20 fails (two runs pooled: a second symbol enters at bar 14 too)', () => {
    const a = makeRun({ step: CENTI_YEAR, returns: bars, trades: [...evenTrades(5, 0.01, 10, 1), ...evenTrades(14, 0.01, 30, 4)] });
    const b = makeRun({ symbol: 'BBB', step: CENTI_YEAR, returns: bars, trades: [{ entry: 14, ret: 0.01 }] });
    const c = byName(distribution([a, b], D), 'max_slice_trade_share');
    expect(c.value).toBeCloseTo(6 / 20, 15);
    expect(c.pass).toBe(false);
  });

  it('the window is half-open: entries exactly one slice apart are not in the same slice', () => {
    // Entries at bars 0, 5, 10, … (20 trades, one per 5 steps): any [s, s + 5) window holds exactly one.
    const c = byName(distribution([makeRun({ step: CENTI_YEAR, returns: bars, trades: evenTrades(20, 0.01, 0, 5) })], D), 'max_slice_trade_share');
    expect(c.value).toBeCloseTo(1 / 20, 15);
  });
});

describe('distribution: three verdicts (gates@2)', () => {
  it('below 100 pooled trades nothing is judged: every check INSUFFICIENT, even a share beyond its threshold', () => {
    // 99 trades, one of them huge: the top-5 share is far above 50 %, but 99 < 100.
    const trades: TradeSpec[] = Array.from({ length: 99 }, (_, i) => ({ entry: i, ret: i === 0 ? 1 : 0.001 }));
    const v = distribution([makeRun({ returns: new Array(120).fill(0.001), trades })]);
    expect(byName(v, 'top_trades_share').value).toBeGreaterThan(0.5);
    expect(v.checks.map((c) => c.verdict)).toEqual(['INSUFFICIENT', 'INSUFFICIENT', 'INSUFFICIENT', 'INSUFFICIENT']);
    expect(v).toMatchObject({ verdict: 'INSUFFICIENT', sample: { trades: 99 } });
    expect(byName(v, 'top_trades_share').note).toMatch(/judged from 100 trades, have 99$/);
  });

  it('at 100 trades the same concentration FAILs', () => {
    const trades: TradeSpec[] = Array.from({ length: 100 }, (_, i) => ({ entry: i, ret: i === 0 ? 1 : 0.001 }));
    const v = distribution([makeRun({ returns: new Array(120).fill(0.001), trades })]);
    // top 5 = 1 + 4·0.001 = 1.004 of a total 1 + 99·0.001 = 1.099: 0.9136 > 0.5.
    expect(byName(v, 'top_trades_share').value).toBeCloseTo(1.004 / 1.099, 12);
    expect(byName(v, 'top_trades_share').verdict).toBe('FAIL');
    expect(v.verdict).toBe('FAIL');
  });

  it('a total PnL ≤ 0 leaves the share unmeasured: INSUFFICIENT (whether there is a gain is the edge gate\'s question)', () => {
    const trades: TradeSpec[] = Array.from({ length: 100 }, (_, i) => ({ entry: i, ret: -0.001 }));
    const v = distribution([makeRun({ returns: new Array(120).fill(-0.001), trades })]);
    expect(byName(v, 'top_trades_share')).toMatchObject({ value: null, verdict: 'INSUFFICIENT' });
  });
});
