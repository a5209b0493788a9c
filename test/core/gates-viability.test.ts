import { describe, expect, it } from 'vitest';
import { viability } from '../../src/core/gates/viability.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { CENTI_YEAR, MONDAY, YEAR, evenTrades, makeRun } from './gates-helpers.ts';

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};
const flat = (n: number): number[] => new Array<number>(n).fill(0);
/** One year exactly: 101 bars, 1/100 year apart. */
const yearRun = (trades: ReturnType<typeof evenTrades>, opts: { symbol?: string; start?: number; returns?: number[] } = {}) =>
  makeRun({ step: CENTI_YEAR, returns: opts.returns ?? flat(100), trades, symbol: opts.symbol, start: opts.start });

describe('viability: trades per year (pooled, by holding period)', () => {
  it('15 trades in one year is exactly the long threshold: passes; 14 fails', () => {
    const v15 = viability([yearRun(evenTrades(15, 0.01, 0, 5))], { holding_period: 'long' });
    expect(byName(v15, 'trades_per_year').value).toBeCloseTo(15, 12);
    expect(byName(v15, 'trades_per_year').threshold).toBe(15);
    expect(byName(v15, 'trades_per_year').pass).toBe(true);
    const v14 = viability([yearRun(evenTrades(14, 0.01, 0, 5))], { holding_period: 'long' });
    expect(byName(v14, 'trades_per_year').pass).toBe(false);
    expect(v14.pass).toBe(false);
  });

  it('thresholds by holding period: 100 intraday/short, 40 medium, 15 long', () => {
    const run = yearRun(evenTrades(40, 0.01, 0, 2)); // 40 trades / 1 year
    expect(byName(viability([run], { holding_period: 'medium' }), 'trades_per_year').pass).toBe(true);
    for (const hp of ['intraday', 'short'] as const) {
      const c = byName(viability([run], { holding_period: hp }), 'trades_per_year');
      expect(c.threshold).toBe(100);
      expect(c.pass).toBe(false);
    }
  });

  it('pools trades over the tested set: 8 + 7 trades on two symbols over the same year = 15/yr', () => {
    const a = yearRun(evenTrades(8, 0.01, 0, 10), { symbol: 'AAA' });
    const b = yearRun(evenTrades(7, 0.01, 3, 10), { symbol: 'BBB' });
    expect(byName(viability([a], { holding_period: 'long' }), 'trades_per_year').pass).toBe(false);
    const both = byName(viability([a, b], { holding_period: 'long' }), 'trades_per_year');
    expect(both.value).toBeCloseTo(15, 12);
    expect(both.pass).toBe(true);
  });

  it('divides by the union of time ranges: two disjoint one-year runs with a gap year are 2 years', () => {
    // Years 1 and 3: 16 + 14 = 30 trades over 2 covered years = 15/yr (the gap year does not dilute it).
    const a = yearRun(evenTrades(16, 0.01, 0, 5));
    const b = yearRun(evenTrades(14, 0.01, 0, 5), { symbol: 'BBB', start: MONDAY + 2 * YEAR });
    expect(byName(viability([a, b], { holding_period: 'long' }), 'trades_per_year').value).toBeCloseTo(15, 12);
  });
});

describe('viability: max drawdown of the equal-weight portfolio', () => {
  it('exactly 25 % passes, 26 % fails', () => {
    // Equity 1 → 1.25 → 0.9375: drawdown 1 − 0.9375/1.25 = 0.25 exactly.
    const at = viability([yearRun(evenTrades(20, 0.01, 0, 5), { returns: [0.25, -0.25, ...flat(98)] })], { holding_period: 'long' });
    expect(byName(at, 'max_drawdown').value).toBe(0.25);
    expect(byName(at, 'max_drawdown').pass).toBe(true);
    // 1 → 1.25 → 1.25·0.74: drawdown 0.26.
    const over = viability([yearRun(evenTrades(20, 0.01, 0, 5), { returns: [0.25, -0.26, ...flat(98)] })], { holding_period: 'long' });
    expect(byName(over, 'max_drawdown').value).toBeCloseTo(0.26, 14);
    expect(byName(over, 'max_drawdown').pass).toBe(false);
  });

  it('is the drawdown of the portfolio, not of the worst run', () => {
    // Mirror runs: each alone draws down 30 %, the rebalanced portfolio returns 0 every bar.
    const a = yearRun(evenTrades(10, 0.01, 0, 5), { returns: [0.3, -0.3, ...flat(98)] });
    const b = yearRun(evenTrades(10, 0.01, 0, 5), { symbol: 'BBB', returns: [-0.3, 0.3, ...flat(98)] });
    expect(byName(viability([a], { holding_period: 'long' }), 'max_drawdown').pass).toBe(false);
    expect(byName(viability([a, b], { holding_period: 'long' }), 'max_drawdown').value).toBe(0);
  });
});

describe('viability: avg trade return (pooled)', () => {
  it('0.2 % exactly passes; the mean is over every trade of every run', () => {
    const at = viability([yearRun(evenTrades(20, 0.002, 0, 5))], { holding_period: 'long' });
    expect(byName(at, 'avg_trade_return').value).toBe(0.002);
    expect(byName(at, 'avg_trade_return').pass).toBe(true);
    expect(at.pass).toBe(true);
    // Pooled: 10 trades of 0.001 on A, 10 of 0.002 on B → mean 0.0015 < 0.002.
    const a = yearRun(evenTrades(10, 0.001, 0, 5));
    const b = yearRun(evenTrades(10, 0.002, 0, 5), { symbol: 'BBB' });
    const pooled = byName(viability([a, b], { holding_period: 'long' }), 'avg_trade_return');
    expect(pooled.value).toBeCloseTo(0.0015, 15);
    expect(pooled.pass).toBe(false);
  });
});

describe('viability: degenerate inputs', () => {
  it('no trades: trade checks fail at 0 with a note; nothing is NaN', () => {
    const v = viability([yearRun([])], { holding_period: 'long' });
    expect(v.pass).toBe(false);
    expect(byName(v, 'trades_per_year')).toMatchObject({ value: 0, pass: false, note: expect.stringMatching(/no closed trades/) });
    expect(byName(v, 'avg_trade_return')).toMatchObject({ value: 0, pass: false, note: 'no closed trades' });
    expect(byName(v, 'max_drawdown')).toMatchObject({ value: 0, pass: true });
  });

  it('no runs: every check unmeasured and failing', () => {
    const v = viability([], { holding_period: 'short' });
    expect(v.pass).toBe(false);
    expect(v.checks.every((c) => c.value === null && !c.pass)).toBe(true);
  });

  it('a single bar spans no time: trades_per_year unmeasured', () => {
    const run = makeRun({ returns: [], trades: [{ entry: 0, ret: 0.01, exit: 0 }] });
    const c = byName(viability([run], { holding_period: 'long' }), 'trades_per_year');
    expect(c.value).toBeNull();
    expect(c.pass).toBe(false);
  });

  it('a custom (tightened) config is honoured', () => {
    const run = yearRun(evenTrades(15, 0.01, 0, 5));
    const v = viability([run], { holding_period: 'long' }, { minTradesPerYear: { intraday: 100, short: 100, medium: 40, long: 16 }, maxDrawdown: 0.25, minAvgTradeReturn: 0.002 });
    expect(byName(v, 'trades_per_year')).toMatchObject({ threshold: 16, pass: false });
  });
});
