// erfc / Φ / Φ⁻¹ / log Γ / incomplete beta / Student t. Expected values: mpmath at 30 digits
// (test/core/stats-reference.py, [S]) and textbook quantiles; plus stats.md's primitive needs.
import { describe, expect, it } from 'vitest';
import {
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSurvival,
  normalUpperQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSurvival,
  studentTTwoSidedPValue,
  studentTUpperQuantile,
} from '../../src/core/stats/index.ts';
import { expectDigits, mulberry32 } from './stats-helpers.ts';

describe('erfc (Cody 1969) against mpmath', () => {
  const cases: Array<[number, string]> = [
    [0.1, '0.887537083981715'],
    [0.46875, '0.507386526782062'],
    [1, '0.15729920705028513'],
    [3, '2.209049699858544e-05'],
    [4, '1.541725790028002e-08'],
    [6, '2.1519736712498913e-17'],
    [10, '2.088487583762545e-45'],
    [26, '5.663192408856143e-296'],
  ];
  it.each(cases)('erfc(%d) to ~1e-15 relative, tail included', (x, v) => {
    expectDigits(erfc(x), v, 2e-15 * Number(v));
    expectDigits(erfc(-x), String(2 - Number(v)));
  });
  it('is 1 at 0, 0 far right, 2 far left, NaN for NaN', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(40)).toBe(0);
    expect(erfc(-40)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('Phi against mpmath', () => {
  const cases: Array<[number, string]> = [
    [-8, '6.220960574271784e-16'],
    [-3, '0.0013498980316300946'],
    [-1, '0.15865525393145705'],
    [-0.3, '0.3820885778110474'],
    [0, '0.5'],
    [0.3, '0.6179114221889527'],
    [1, '0.8413447460685429'],
    [2.5, '0.9937903346742238'],
    [5, '0.9999997133484281'],
  ];
  it.each(cases)('Phi(%d)', (x, v) => {
    expectDigits(normalCdf(x), v, 2e-15 * Math.abs(Number(v)));
    expectDigits(normalSurvival(-x), v, 2e-15 * Math.abs(Number(v)));
  });
});

describe('PhiInv (Wichura AS241)', () => {
  const cases: Array<[number, string]> = [
    [1e-300, '-37.0470962993612'],
    [1e-20, '-9.262340089798407'],
    [1e-10, '-6.361340902404057'],
    [0.001, '-3.0902323061678136'],
    [0.02425, '-1.972961051311885'],
    [0.05, '-1.6448536269514726'],
    [0.3, '-0.5244005127080408'],
    [0.5, '0'],
    [0.7, '0.5244005127080407'],
    [0.975, '1.9599639845400538'],
    [0.999, '3.090232306167813'],
  ];
  it.each(cases)('PhiInv(%d) to ~1e-15 relative (mpmath)', (p, v) => {
    expectDigits(normalQuantile(p), v, 2e-15 * Math.max(1e-300, Math.abs(Number(v))));
  });
  it('round-trips Phi over the whole range (lower tail via Phi, upper via the survival function)', () => {
    const rnd = mulberry32(5);
    for (let i = 0; i < 2000; i++) {
      const x = (rnd() - 0.5) * 16;
      const back = x < 0 ? normalQuantile(normalCdf(x)) : normalUpperQuantile(normalSurvival(x));
      expect(Math.abs(back - x)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(x)));
    }
  });
  it('upper quantile avoids 1 − a and matches the textbook 1.6448536269514722 / 1.959963984540054', () => {
    expectDigits(normalUpperQuantile(0.05), '1.6448536269514722');
    expectDigits(normalUpperQuantile(0.025), '1.959963984540054');
    expectDigits(normalUpperQuantile(1e-200), String(-normalQuantile(1e-200)));
  });
  it('edges: ±Infinity at 0 and 1, RangeError outside [0, 1] or NaN', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(-0.1)).toThrow(RangeError);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });
});

describe('log Gamma, incomplete beta, Student t (mpmath)', () => {
  it.each<[number, string]>([
    [0.1, '2.252712651734206'],
    [0.5, '0.5723649429247001'],
    [1, '0'],
    [2.5, '0.2846828704729192'],
    [10, '12.801827480081469'],
    [59.5, '182.49294152078627'],
    [1000, '5905.220423209181'],
  ])('logGamma(%d)', (x, v) => expectDigits(logGamma(x), v, 1e-14 * Math.max(1, Math.abs(Number(v)))));

  it.each<[number, number, number, string]>([
    [0.5, 0.5, 0.3, '0.36901011956554536'],
    [2, 3, 0.4, '0.5248'],
    [59.5, 0.5, 0.9, '0.00041005823552126393'],
    [10, 10, 0.5, '0.5'],
  ])('I_x(%d, %d) at x = %d', (a, b, x, v) => expectDigits(regularizedIncompleteBeta(a, b, x), v, 1e-13 * Number(v)));

  it.each<[number, number, string]>([
    [0.5, 3, '0.3257239824240755'],
    [2, 10, '0.03669401738537018'],
    [2.8847734414021216, 119, '0.0023256150007972243'],
    [-1.5, 5, '0.9030481598787633'],
    [10, 30, '2.2876257041148064e-11'],
    [0.1, 1000, '0.46018218451180204'],
  ])('P(T > %d) with %d df', (t, df, v) => {
    expectDigits(studentTSurvival(t, df), v, 1e-13 * Number(v));
    expectDigits(studentTCdf(-t, df), v, 1e-13 * Number(v));
  });

  it('two-sided p-value and quantiles invert the CDF', () => {
    expectDigits(studentTTwoSidedPValue(-2, 10), String(2 * 0.03669401738537018), 1e-13);
    for (const df of [1, 3, 10, 119, 1000]) {
      for (const p of [1e-12, 0.001, 0.025, 0.3, 0.5, 0.9]) {
        const t = studentTQuantile(p, df);
        expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThanOrEqual(1e-12 * p);
        expect(studentTUpperQuantile(p, df)).toBeCloseTo(-t, 10);
      }
    }
    // df = 1 is Cauchy: t quantile = tan(π(p − 1/2))
    expectDigits(studentTQuantile(0.9, 1), String(Math.tan(Math.PI * 0.4)), 1e-13);
  });

  it('rejects impossible inputs', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0, 1, 0.5)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(1, 1, 1.5)).toThrow(RangeError);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTCdf(NaN, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});
