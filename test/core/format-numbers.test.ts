/**
 * The one number formatter (src/core/format/numbers.ts): each kind against strings written by
 * hand from its rule, at the edges a formatter gets wrong — zero, negatives, NaN and ±∞, values too
 * small for the precision (never an exponent: "4.94e-324" was the bug), very large values, and
 * rounding that carries into a new digit. And no other formatter is left in src/.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber, type NumberKind } from '../../src/core/format/numbers.ts';

const rows = (kind: NumberKind, cases: Array<[number | null | undefined, string]>): void => {
  expect(cases.map(([x]) => formatNumber(x, kind)), kind).toEqual(cases.map(([, s]) => s));
};

describe('formatNumber, kind by kind', () => {
  it('sharpe and tstat: two decimals; a value that rounds to zero is 0.00, never -0.00', () => {
    const cases: Array<[number | null, string]> = [
      [1.2345, '1.23'], [1.235, '1.24'], [-0.4, '-0.40'], [0, '0.00'], [-0.004, '0.00'], [0.005, '0.01'],
      [12, '12.00'], [9.996, '10.00'], [-2.5e-9, '0.00'], [1234.5678, '1234.57'],
      [null, '—'], [Number.NaN, '—'], [Number.POSITIVE_INFINITY, '—'], [Number.NEGATIVE_INFINITY, '—'],
    ];
    rows('sharpe', cases);
    rows('tstat', cases);
  });

  it('pvalue: four decimals, and a bound below 0.0001', () => {
    rows('pvalue', [
      [0.0123, '0.0123'], [0.05, '0.0500'], [1, '1.0000'], [0, '0.0000'], [0.00004, '<0.0001'], [Number.MIN_VALUE, '<0.0001'],
      [0.00005, '0.0001'], [0.99996, '1.0000'], [Number.NaN, '—'],
    ]);
  });

  it('percent: a fraction as %, three significant digits, at most three decimals, a bound below 0.001%', () => {
    rows('percent', [
      [0.1234, '12.3%'], [-0.9188, '-91.9%'], [0.5, '50.0%'], [1, '100%'], [1.5, '150%'], [12.345, '1235%'],
      [0.001234, '0.123%'], [0.0001234, '0.012%'], [0.00001234, '0.001%'], [0.000001, '<0.001%'], [-0.000001, '>-0.001%'],
      [Number.MIN_VALUE, '<0.001%'], [0, '0.00%'], [0.09996, '10.0%'], [0.99996, '100%'], [-0.0995, '-9.95%'],
      [null, '—'], [Number.NaN, '—'], [Number.POSITIVE_INFINITY, '—'],
    ]);
  });

  it('ratio: three significant digits, at most four decimals, a bound below 0.0001', () => {
    rows('ratio', [
      [1.2345, '1.23'], [0.5, '0.500'], [12.34, '12.3'], [123.4, '123'], [123456.7, '123457'], [-2.5, '-2.50'],
      [9.996, '10.0'], [0.012345, '0.0123'], [0.00012, '0.0001'], [0.00001, '<0.0001'], [-0.00001, '>-0.0001'],
      [0, '0.00'], [Number.NEGATIVE_INFINITY, '—'],
    ]);
  });

  it('value: up to four significant digits with trailing zeros dropped; integers whole; ∞ named', () => {
    rows('value', [
      [30, '30'], [0.95, '0.95'], [1.0625, '1.063'], [2345.67, '2346'], [12345.678, '12346'], [0.5, '0.5'], [-0.25, '-0.25'],
      [9.9996, '10'], [0.000123456, '0.000123'], [0.0000004, '<0.000001'], [-0.0000004, '>-0.000001'], [Number.MIN_VALUE, '<0.000001'],
      [0, '0'], [-7, '-7'], [1e25, '10000000000000000905969664'], [Number.POSITIVE_INFINITY, '∞'], [Number.NEGATIVE_INFINITY, '-∞'],
      [Number.NaN, '—'], [undefined, '—'],
    ]);
  });

  it('money: two decimals', () => {
    rows('money', [
      [12345.678, '12345.68'], [-0.5, '-0.50'], [-0.004, '0.00'], [0, '0.00'], [999.995, '1000.00'], [-1234567.1, '-1234567.10'],
      [1e21, '1000000000000000000000'], [Number.NaN, '—'],
    ]);
  });

  it('count: whole, as String writes an integer (below 1e21), so counts printed as they are agree', () => {
    rows('count', [[0, '0'], [7, '7'], [1234, '1234'], [-1234567, '-1234567'], [1e22, '10000000000000000000000'], [2.5, '3'], [Number.POSITIVE_INFINITY, '—']]);
    for (const n of [0, 1, 999, 1000, 123456789]) expect(formatNumber(n, 'count')).toBe(String(n));
  });

  it('duration: one decimal; compact: an axis label with k/M/G', () => {
    rows('duration', [[1.5, '1.5'], [0.04, '0.0'], [12.25, '12.3'], [Number.NaN, '—']]);
    rows('compact', [[1.234, '1.23'], [123.4, '123'], [10000, '10.0k'], [-12345, '-12.3k'], [2_500_000, '2.5M'], [1.25e9, '1.3G'], [Number.NaN, '—']]);
  });

  it('never writes an exponent, whatever the kind and the value', () => {
    const kinds: NumberKind[] = ['sharpe', 'tstat', 'pvalue', 'percent', 'ratio', 'value', 'money', 'count', 'duration', 'compact'];
    const xs = [Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300, 1e-9, 1e21, 1e300, -1e300, Number.MAX_VALUE];
    for (const kind of kinds) for (const x of xs) expect(formatNumber(x, kind), `${kind} ${x}`).not.toMatch(/e[+-]?\d/i);
  });
});

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('one formatter', () => {
  it('no other file of src/ formats a number for people with toFixed, toPrecision or toExponential', () => {
    // Allowed: the formatter itself; number arithmetic that rounds a value (not text) with Number(x.toPrecision(12));
    // the synthetic data writer, whose CSV prices are a file format, not text for people.
    const allowed = (line: string): boolean => /Number\(.*\.toPrecision\(\d+\)\)/.test(line) || /^\s*(\*|\/\/|\/\*\*)/.test(line);
    const offenders = sources('src').filter((f) => !f.endsWith(join('core', 'format', 'numbers.ts')) && !f.endsWith('synth-write.ts'))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((l, i) => (/\.(toFixed|toPrecision|toExponential)\(/.test(l) && !allowed(l) ? [`${f}:${i + 1}: ${l.trim()}`] : [])));
    expect(offenders).toEqual([]);
  });
});
