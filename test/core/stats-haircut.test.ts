// Harvey–Liu haircut Sharpe ratio (stats.md §4): H2 and H4 vectors, the deterministic Holm/BHY
// route, and validation. H3 (HL's simulated Holm 0.409 / BHY 0.174 / average 0.348) is [Q] and
// "not reproducible outside numpy's RNG" (stats.md): deliberately not asserted.
import { describe, expect, it } from 'vitest';
import { autocorrelationSharpeFactor, benjaminiHochbergYekutieli, haircutSharpeRatio, holm, sharpeTest } from '../../src/core/stats/index.ts';
import { expectDigits } from './stats-helpers.ts';

// HL code example: monthly, 120 observations, annual SR 1, AC adjustment ρ = .1, M = 100 tests.
const H2 = { sharpeAnnual: 1, observations: 120, periodsPerYear: 12, autocorrelation: 0.1, tests: 100 };

describe('H2: HL code example [V/S]', () => {
  it('AC factor 0.9122455, t = 2.8847734, p = 0.00465123', () => {
    expectDigits(autocorrelationSharpeFactor(0.1, 12), '0.9122455');
    const t = sharpeTest(H2);
    expect(t.months).toBe(120);
    expectDigits(t.sharpeAnnual, '0.9122455');
    expectDigits(t.tStatistic, '2.8847734');
    expectDigits(t.pValue, '0.00465123');
  });
  it('Bonferroni p = 0.4651230 [V]; haircut SR = 0.2317309, haircut 74.60 % [S]', () => {
    const r = haircutSharpeRatio(H2);
    expectDigits(r.adjustedPValue, '0.4651230');
    expectDigits(r.haircutSharpe, '0.2317309');
    expectDigits(r.haircut, '0.7460');
  });
  it('mlfinlab test_backtests: Bonferroni 0.465 ± 0.01 [Q]', () => {
    expectDigits(haircutSharpeRatio(H2).adjustedPValue, '0.465', 0.01);
  });
});

describe('H4: AC factor at ρ = .1 [V mlfinlab]', () => {
  it.each<[string, number, string]>([
    ['D (360)', 360, '0.905'],
    ['W', 52, '0.906'],
    ['M', 12, '0.912'],
    ['Q', 4, '0.928'],
  ])('%s', (_, q, v) => expectDigits(autocorrelationSharpeFactor(0.1, q), v));
  it('is 1 without autocorrelation and rejects |ρ| >= 1', () => {
    expect(autocorrelationSharpeFactor(0, 12)).toBe(1);
    expect(() => autocorrelationSharpeFactor(1, 12)).toThrow(RangeError);
  });
});

describe('frequency conversion and the deterministic ledger route', () => {
  it('daily uses 360 days/yr and floors to whole months (HL code)', () => {
    const t = sharpeTest({ sharpeAnnual: 1, observations: 1000, periodsPerYear: 360 });
    expect(t.months).toBe(33); // ⌊1000·12/360⌋
    expectDigits(t.tStatistic, String((1 / Math.sqrt(12)) * Math.sqrt(33)));
  });
  it('M = 1 or an adjusted p equal to the raw p keeps the full Sharpe (haircut 0)', () => {
    const one = haircutSharpeRatio({ ...H2, tests: 1 });
    expectDigits(one.haircutSharpe, String(one.sharpeAnnual), 1e-9);
    expectDigits(one.haircut, '0', 1e-9);
    const same = haircutSharpeRatio({ ...H2, adjustedPValue: one.pValue });
    expectDigits(same.haircut, '0', 1e-9);
  });
  it('Holm / BHY over the ledger p-values feed the haircut (H1 p-values, strategy #3)', () => {
    const ledger = [0.005, 0.009, 0.0128, 0.0135, 0.045, 0.06];
    const base = { sharpeAnnual: 1, observations: 120 };
    const raw = sharpeTest(base).pValue;
    const pHolm = holm([raw, ...ledger])[0]!;
    const pBhy = benjaminiHochbergYekutieli([raw, ...ledger])[0]!;
    const h = haircutSharpeRatio({ ...base, adjustedPValue: pHolm });
    const b = haircutSharpeRatio({ ...base, adjustedPValue: pBhy });
    for (const [r, p] of [[h, pHolm], [b, pBhy]] as const) {
      expect(r.haircut).toBeGreaterThan(0);
      expect(r.haircut).toBeLessThan(1);
      // The haircut Sharpe is the one whose own single-test p-value is the adjusted one.
      expectDigits(sharpeTest({ ...base, sharpeAnnual: r.haircutSharpe }).pValue, String(p), 1e-12);
    }
  });
  it('an adjusted p-value of 1 leaves nothing: SR_adj = 0, haircut = 100 %', () => {
    const r = haircutSharpeRatio({ sharpeAnnual: 0.2, observations: 24, tests: 1000 });
    expect(r.adjustedPValue).toBe(1);
    expect(r.haircutSharpe).toBe(0);
    expect(r.haircut).toBe(1);
  });
  it('rejects impossible inputs', () => {
    expect(() => haircutSharpeRatio({ sharpeAnnual: -1, observations: 120, tests: 10 })).toThrow(RangeError);
    expect(() => haircutSharpeRatio({ sharpeAnnual: 1, observations: 120 })).toThrow(RangeError);
    expect(() => haircutSharpeRatio({ sharpeAnnual: 1, observations: 1, tests: 10 })).toThrow(RangeError);
    expect(() => haircutSharpeRatio({ sharpeAnnual: 1, observations: 120, tests: 0 })).toThrow(RangeError);
    expect(() => haircutSharpeRatio({ sharpeAnnual: 1, observations: 120, adjustedPValue: 1e-9 })).toThrow(RangeError);
    expect(() => sharpeTest({ sharpeAnnual: NaN, observations: 120 })).toThrow(RangeError);
  });
});
