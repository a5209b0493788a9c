import { describe, expect, it } from 'vitest';
import { holdout } from '../../src/core/gates/holdout.ts';
import type { Check, GateVerdict } from '../../src/core/research/gate.ts';
import { evenTrades, makeRun, simpleSharpe } from './gates-helpers.ts';

const byName = (v: GateVerdict, name: string): Check => {
  const c = v.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check ${name}`);
  return c;
};
const meta = { holding_period: 'short' } as const;
const up = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.02 : -0.01)); // Sharpe > 0
const visible = [makeRun({ returns: up, trades: evenTrades(20, 2 ** -6) })]; // avg 1/64
const sealed = (count: number, ret: number, returns: number[] = up, symbol = 'AAA') => makeRun({ symbol, returns, trades: evenTrades(count, ret), segment: 'holdout' });

describe('holdout gate', () => {
  it('10 trades keeping exactly half the visible avg, with a positive Sharpe: passes', () => {
    // Holdout avg 1/128 vs visible 1/64 → 0.5 (exact). Sharpe of `up` by the simple implementation.
    const v = holdout(visible, [sealed(10, 2 ** -7)], meta);
    expect(v.pass).toBe(true);
    expect(byName(v, 'holdout_trades')).toMatchObject({ value: 10, threshold: 10, pass: true });
    expect(byName(v, 'holdout_vs_visible_avg_trade_return')).toMatchObject({ value: 0.5, threshold: 0.5, pass: true });
    expect(byName(v, 'holdout_sharpe').value).toBeCloseTo(simpleSharpe(up), 12);
  });

  it('9 trades cannot be judged: fails with a note', () => {
    const c = byName(holdout(visible, [sealed(9, 2 ** -6)], meta), 'holdout_trades');
    expect(c).toMatchObject({ value: 9, pass: false });
    expect(c.note).toMatch(/not proven/);
  });

  it('pools trades over the holdout runs (6 + 4 = 10)', () => {
    const v = holdout(visible, [sealed(6, 2 ** -6), sealed(4, 2 ** -6, up, 'BBB')], meta);
    expect(byName(v, 'holdout_trades').value).toBe(10);
    expect(v.pass).toBe(true);
  });

  it('a holdout avg below half the visible one fails', () => {
    // 1/256 vs 1/64 → 0.25.
    expect(byName(holdout(visible, [sealed(12, 2 ** -8)], meta), 'holdout_vs_visible_avg_trade_return')).toMatchObject({ value: 0.25, pass: false });
  });

  it('a negative or zero holdout Sharpe fails even when trades look fine', () => {
    const down = up.map((r) => -r);
    expect(byName(holdout(visible, [sealed(12, 2 ** -6, down)], meta), 'holdout_sharpe').pass).toBe(false);
    // Flat equity: std 0 → Sharpe 0 → not > 0.
    const flat = byName(holdout(visible, [sealed(12, 2 ** -6, new Array(30).fill(0))], meta), 'holdout_sharpe');
    expect(flat).toMatchObject({ value: 0, pass: false });
  });

  it('no visible edge: the retention is unmeasured and fails', () => {
    const losing = [makeRun({ returns: up, trades: evenTrades(20, -0.01) })];
    const c = byName(holdout(losing, [sealed(12, 0.01)], meta), 'holdout_vs_visible_avg_trade_return');
    expect(c).toMatchObject({ value: null, pass: false });
    expect(c.note).toMatch(/no edge on the reference/);
  });

  it('refuses runs from the wrong segment', () => {
    expect(() => holdout(visible, [makeRun({ returns: up })], meta)).toThrow(/not the holdout/);
    expect(() => holdout([sealed(10, 0.01)], [sealed(10, 0.01)], meta)).toThrow(/passed as visible/);
  });

  it('an empty holdout fails every check without NaN', () => {
    const v = holdout(visible, [], meta);
    expect(v.pass).toBe(false);
    expect(v.checks.every((c) => !c.pass && (c.value === null || Number.isFinite(c.value)))).toBe(true);
  });
});
