import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG } from '../../src/core/gates/config.ts';
import { viability } from '../../src/core/gates/viability.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { CENTI_YEAR, DAY, MONDAY, YEAR, evenTrades, makeRun } from './gates-helpers.ts';
import type { TradeSpec } from './gates-helpers.ts';

// Viability, gates@2 (docs/gates.md). Every expected value below is worked by hand in its comment.

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};
const flat = (n: number): number[] => new Array<number>(n).fill(0);
/** Exactly one year: 101 bars, 1/100 year (3.6525 days) apart, from Monday 2020-01-06. */
const yearRun = (trades: readonly TradeSpec[], opts: { symbol?: string; start?: number; returns?: number[]; market?: number[] } = {}) =>
  makeRun({ step: CENTI_YEAR, returns: opts.returns ?? flat(100), trades, symbol: opts.symbol, start: opts.start, market: opts.market });
/** Calendar months (UTC) of the entries: the test's own count of the clusters. */
const months = (times: number[]): number => new Set(times.map((t) => new Date(t).toISOString().slice(0, 7))).size;

describe('viability (a): scope trade rate by measured holding time', () => {
  // 50 trades entered every 2 bars (bars 0 … 98), each held 1 bar (3.65 days, under 10): floor 100.
  // Entries span 2020-01-06 … 2020-12-28, 12 calendar months: the minimum sample (30 in ≥ 12) is met.
  const fifty = evenTrades(50, 0.01, 0, 2);

  it('the months the entries fall in are 12 (checked independently of the gate)', () => {
    expect(months(fifty.map((t) => MONDAY + t.entry * CENTI_YEAR))).toBe(12);
  });

  it('rate = trades per symbol-year × symbols in scope: 50 trades over 1 symbol-year × 2 symbols = 100 ≥ 100 passes', () => {
    const v = viability([yearRun(fifty)], { symbols: 2 });
    const c = byName(v, 'scope_trade_rate');
    expect(c.value).toBe(100);
    expect(c.threshold).toBe(100);
    expect(c.verdict).toBe('PASS');
    expect(v.sample).toMatchObject({ trades: 50, clusters: 12, symbols: 1, symbol_years: 1, scope_symbols: 2 });
  });

  it('below the floor fails only once the floor rate would have produced 30 trades over the symbol-years seen', () => {
    // 3 one-year runs = 3 symbol-years; scope 10: the floor 100 is 10 per symbol-year → 30 expected: judged.
    // 20 trades → 20/3 × 10 = 66.7 < 100: FAIL.
    const runs = ['A', 'B', 'C'].map((s, i) => yearRun(i === 0 ? evenTrades(20, 0.01, 0, 5) : [], { symbol: s }));
    const fail = byName(viability(runs, { symbols: 10 }), 'scope_trade_rate');
    expect(fail.value).toBeCloseTo(200 / 3, 12);
    expect(fail.verdict).toBe('FAIL');
    // Scope 11: the floor expects 100/11 × 3 = 27.3 trades, under 30: a low rate is not evidence yet.
    const open = byName(viability(runs, { symbols: 11 }), 'scope_trade_rate');
    expect(open.value).toBeCloseTo((20 / 3) * 11, 12);
    expect(open.verdict).toBe('INSUFFICIENT');
  });

  it('at or above the floor with fewer than 30 trades is INSUFFICIENT (29 trades × scope 4 = 116 ≥ 100)', () => {
    const c = byName(viability([yearRun(evenTrades(29, 0.01, 0, 3))], { symbols: 4 }), 'scope_trade_rate');
    expect(c.value).toBe(116);
    expect(c.verdict).toBe('INSUFFICIENT');
  });

  it('the floor follows the measured median holding time: 9 days → 100, exactly 10 → 40, exactly 60 → 15', () => {
    const held = (days: number): TradeSpec[] => Array.from({ length: 30 }, (_, i) => ({ entry: i * 12, exit: i * 12 + days, ret: 0.01 }));
    const run = (days: number) => makeRun({ step: DAY, returns: flat(400), trades: held(days) });
    expect(byName(viability([run(9)], { symbols: 1 }), 'scope_trade_rate').threshold).toBe(100);
    expect(byName(viability([run(10)], { symbols: 1 }), 'scope_trade_rate').threshold).toBe(40);
    expect(byName(viability([run(59)], { symbols: 1 }), 'scope_trade_rate').threshold).toBe(40);
    expect(byName(viability([run(60)], { symbols: 1 }), 'scope_trade_rate').threshold).toBe(15);
  });

  it('divides by each run\'s own span: SPX over 20 years beside a stock over 5 is 25 symbol-years, not the union of 20', () => {
    const index = makeRun({ symbol: 'SPX', step: CENTI_YEAR, returns: flat(2000), trades: evenTrades(100, 0.01, 0, 20) });
    const stock = makeRun({ symbol: 'AAA', step: CENTI_YEAR, returns: flat(500), trades: evenTrades(50, 0.01, 0, 10), start: MONDAY + 15 * YEAR });
    const c = byName(viability([index, stock], { symbols: 1 }), 'scope_trade_rate');
    // 150 trades / (20 + 5) symbol-years × 1 = 6 per year.
    expect(c.value).toBeCloseTo(6, 12);
    expect(viability([index, stock], { symbols: 1 }).sample.symbol_years).toBe(25);
  });
});

describe('viability (b): drawdown of the market-hedged portfolio', () => {
  // Long on every bar 0 … 99 (50 trades entered every 2 bars, held 1 bar), minimum sample met.
  const allLong = evenTrades(50, 0.01, 0, 2);

  it('exactly 25 % passes and 26 % fails when there is no market move to hedge', () => {
    // Equity 1 → 1.25 → 0.9375: drawdown 1 − 0.9375/1.25 = 0.25 exactly.
    // A scope of one symbol: the drawdown minimum is min(10, scope) = 1 symbol.
    const at = byName(viability([yearRun(allLong, { returns: [0.25, -0.25, ...flat(98)] })], { symbols: 1 }), 'hedged_max_drawdown');
    expect(at.value).toBe(0.25);
    expect(at.verdict).toBe('PASS');
    const over = byName(viability([yearRun(allLong, { returns: [0.25, -0.26, ...flat(98)] })], { symbols: 1 }), 'hedged_max_drawdown');
    expect(over.value).toBeCloseTo(0.26, 14);
    expect(over.verdict).toBe('FAIL');
  });

  it('a long position that only rode the market is hedged to no drawdown; the raw 40 % is reported beside it', () => {
    const market = [0.5, -0.6, ...flat(98)]; // 1 → 1.5 → 0.6: raw drawdown 0.6
    const c = byName(viability([yearRun(allLong, { returns: market, market: [0, ...market] })], { symbols: 1 }), 'hedged_max_drawdown');
    expect(c.value).toBe(0);
    expect(c.verdict).toBe('PASS');
    expect(c.note).toContain('raw drawdown 60.0%');
  });

  it('below the minimum sample a drawdown beyond 25 % is INSUFFICIENT, not FAIL', () => {
    const c = byName(viability([yearRun(evenTrades(10, 0.01, 0, 2), { returns: [0.25, -0.5, ...flat(98)] })], { symbols: 1 }), 'hedged_max_drawdown');
    expect(c.value).toBeCloseTo(0.5, 14);
    expect(c.verdict).toBe('INSUFFICIENT');
  });

  it('with fewer symbols than min(10, scope) the drawdown is their own risk: INSUFFICIENT; at 10 it is judged', () => {
    const crash = (symbol: string) => yearRun(allLong, { symbol, returns: [0.25, -0.5, ...flat(98)] });
    const nine = Array.from({ length: 9 }, (_, i) => crash(`S${i}`));
    const c9 = byName(viability(nine, { symbols: 500 }), 'hedged_max_drawdown');
    expect(c9.value).toBeCloseTo(0.5, 14);
    expect(c9.verdict).toBe('INSUFFICIENT');
    expect(c9.note).toMatch(/judged on 10 symbols or more, have 9:/);
    expect(byName(viability([...nine, crash('S9')], { symbols: 500 }), 'hedged_max_drawdown').verdict).toBe('FAIL');
    // A scope of 9 symbols needs all 9.
    expect(byName(viability(nine, { symbols: 9 }), 'hedged_max_drawdown').verdict).toBe('FAIL');
  });
});

describe('viability (c): mean net trade return against the cost floor', () => {
  const floor = 2 ** -9; // 0.001953125: sums of it are exact, so the boundary is exact
  const config = { ...DEFAULT_GATE_CONFIG.viability, minAvgTradeReturn: { ...DEFAULT_GATE_CONFIG.viability.minAvgTradeReturn, '1d': floor } };

  it('exactly at the floor passes; below it with no spread the upper bound is the mean itself: FAIL', () => {
    const at = byName(viability([yearRun(evenTrades(50, floor, 0, 2))], { symbols: 2 }, config), 'avg_net_trade_return');
    expect(at.value).toBe(floor);
    expect(at.verdict).toBe('PASS');
    const below = byName(viability([yearRun(evenTrades(50, floor / 2, 0, 2))], { symbols: 2 }, config), 'avg_net_trade_return');
    expect(below.value).toBe(floor / 2);
    expect(below.verdict).toBe('FAIL');
  });

  it('below the floor but within the noise: INSUFFICIENT', () => {
    // Alternating +4 % / −4 % trades with mean 0.1 %: the bound is far above the 0.2 % floor.
    const trades = Array.from({ length: 50 }, (_, i) => ({ entry: 2 * i, ret: (i % 2 === 0 ? 0.04 : -0.04) + 0.001 }));
    const c = byName(viability([yearRun(trades)], { symbols: 2 }), 'avg_net_trade_return');
    expect(c.value).toBeCloseTo(0.001, 15);
    expect(c.verdict).toBe('INSUFFICIENT');
  });

  it('the floor is per interval: a 1h run is judged against the 1h floor', () => {
    const hourly = { ...config, minAvgTradeReturn: { ...config.minAvgTradeReturn, '1h': 0.01 } };
    const run = makeRun({ interval: '1h', step: CENTI_YEAR, returns: flat(100), trades: evenTrades(50, floor, 0, 2) });
    expect(byName(viability([run], { symbols: 2 }, hourly), 'avg_net_trade_return').threshold).toBe(0.01);
  });
});

describe('viability: the gate verdict', () => {
  it('FAIL if any check fails, else INSUFFICIENT if any is open, else PASS; the version is named', () => {
    const pass = viability([yearRun(evenTrades(100, 0.01, 0, 1))], { symbols: 1 });
    expect(pass.checks.map((c) => c.verdict)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(pass).toMatchObject({ verdict: 'PASS', pass: true, config_version: 'gates@2' });
    // 20 trades × scope 5 = 100: at the floor, but under 30 trades — nothing is decided yet.
    const open = viability([yearRun(evenTrades(20, 0.01, 0, 2))], { symbols: 5 });
    expect(open.checks.map((c) => c.verdict)).toEqual(['INSUFFICIENT', 'INSUFFICIENT', 'INSUFFICIENT']);
    expect(open.verdict).toBe('INSUFFICIENT');
    expect(open.pass).toBe(false);
  });

  it('no runs and no trades are INSUFFICIENT, never FAIL', () => {
    expect(viability([], { symbols: 5 }).verdict).toBe('INSUFFICIENT');
    const none = viability([yearRun([])], { symbols: 5 });
    expect(none.verdict).toBe('INSUFFICIENT');
    expect(byName(none, 'avg_net_trade_return').note).toBe('no closed trades yet');
  });
});
