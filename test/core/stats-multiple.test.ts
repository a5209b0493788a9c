// Bonferroni / Holm / BH / BHY against stats.md H1 and small hand-computed examples.
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  benjaminiHochbergYekutieli,
  bhyThresholds,
  bonferroni,
  harmonicNumber,
  holm,
  rejected,
} from '../../src/core/stats/index.ts';
import { expectAllDigits, expectDigits } from './stats-helpers.ts';

const count = (xs: boolean[]): number => xs.filter(Boolean).length;

describe('H1: Harvey–Liu 6-strategy example, α = .05 [V]', () => {
  const p = [0.005, 0.009, 0.0128, 0.0135, 0.045, 0.06];
  it('Bonferroni [.03, .054, .0768, .081, .27, .36] → 1 rejection', () => {
    const adj = bonferroni(p);
    expectAllDigits(adj, ['0.03', '0.054', '0.0768', '0.081', '0.27', '0.36']);
    expect(count(rejected(adj))).toBe(1);
  });
  it('Holm [.03, .045, .0512, .0512, .09, .09] → 2 rejections', () => {
    const adj = holm(p);
    expectAllDigits(adj, ['0.03', '0.045', '0.0512', '0.0512', '0.09', '0.09']);
    expect(rejected(adj)).toEqual([true, true, false, false, false, false]);
  });
  it('BHY c(6) = 2.45; adj [.0496125 ×4, .1323, .147] → 4 rejections', () => {
    expectDigits(harmonicNumber(6), '2.45');
    const adj = benjaminiHochbergYekutieli(p);
    expectAllDigits(adj, ['0.0496125', '0.0496125', '0.0496125', '0.0496125', '0.1323', '0.147']);
    expect(count(rejected(adj))).toBe(4);
  });
  it('BHY thresholds [.0034, .0068, .0102, .01361, .01701, .02041]', () => {
    expectAllDigits(bhyThresholds(6, 0.05), ['0.0034', '0.0068', '0.0102', '0.01361', '0.01701', '0.02041']);
  });
});

describe('hand-computed small examples', () => {
  // p = [.04, .01, .03] (unsorted on purpose). Sorted: .01 (#1), .03 (#2), .04 (#0).
  const p = [0.04, 0.01, 0.03];
  it('Holm: 3·.01 = .03; max(.03, 2·.03) = .06; max(.06, 1·.04) = .06 → [.06, .03, .06]', () => {
    expectAllDigits(holm(p), ['0.06', '0.03', '0.06']);
  });
  it('BH: rank 3 .04; rank 2 min(.04, 1.5·.03) = .04; rank 1 min(.04, 3·.01) = .03 → [.04, .03, .04]', () => {
    expectAllDigits(benjaminiHochberg(p), ['0.04', '0.03', '0.04']);
  });
  it('BHY: c(3) = 11/6, M·c = 5.5; rank 3 5.5/3·.04 = .073333; rank 2 min(.073333, 2.75·.03 = .0825); rank 1 5.5·.01 = .055', () => {
    expectAllDigits(benjaminiHochbergYekutieli(p), ['0.0733333', '0.055', '0.0733333']);
  });
  it('caps at 1, keeps ties equal, and a single p-value is unchanged', () => {
    expectAllDigits(holm([0.9, 0.8]), ['1', '1']);
    expectAllDigits(bonferroni([0.6, 0.2]), ['1', '0.4']);
    expectAllDigits(benjaminiHochbergYekutieli([0.9, 0.9]), ['1', '1']);
    const tied = holm([0.01, 0.02, 0.01]);
    expect(tied[0]).toBe(tied[2]);
    expect(Array.from(holm([0.02]))).toEqual([0.02]);
    expect(Array.from(benjaminiHochbergYekutieli([0.02]))).toEqual([0.02]);
  });
  it('adjusted values are monotone in the raw p-values and never below them', () => {
    const raw = [0.001, 0.2, 0.03, 0.04, 0.5, 0.011, 0.0105];
    for (const adj of [holm(raw), benjaminiHochbergYekutieli(raw), benjaminiHochberg(raw), bonferroni(raw)]) {
      raw.forEach((x, i) => {
        expect(adj[i]!).toBeGreaterThanOrEqual(x);
        raw.forEach((y, j) => {
          if (x < y) expect(adj[i]!).toBeLessThanOrEqual(adj[j]!);
        });
      });
    }
  });
});

describe('input validation', () => {
  it.each<[string, () => unknown]>([
    ['empty', () => holm([])],
    ['p > 1', () => benjaminiHochbergYekutieli([0.5, 1.2])],
    ['p < 0', () => bonferroni([-0.1])],
    ['NaN', () => holm([0.1, NaN])],
    ['α = 0', () => rejected([0.1], 0)],
    ['M = 0', () => bhyThresholds(0)],
  ])('%s → RangeError', (_, f) => expect(f).toThrow(RangeError));
});
