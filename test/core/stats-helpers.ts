// Shared helpers for the stats tests: a tiny seeded PRNG and a "digits shown" comparison.
import { expect } from 'vitest';

/** mulberry32 (Tommy Ettinger): 32-bit state, uniform [0, 1). stats-reference.py ports it bit for bit. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Double-precision floor for vectors printed to ~16 significant digits: two independent
 * implementations (CPython's libm erf vs Cody's erfc here) legitimately differ by a few ulps,
 * and formulas amplify that a little. 2e-15 relative ≈ 10 ulps.
 */
export const DOUBLE_FLOOR = 2e-15;

/**
 * Tolerance justified by the digits shown in `expected`: half a unit in the last shown decimal,
 * i.e. 5·10^−(decimals+1) scaled by max(1, |v|) (relative for large values), never below the
 * double-precision floor. Scientific literals get half a unit in the last mantissa digit.
 */
export function toleranceFor(expected: string): number {
  const v = Number(expected);
  const m = /^-?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(expected.trim());
  if (!m || !Number.isFinite(v)) throw new Error(`bad expected literal ${expected}`);
  const decimals = (m[2] ?? '').length;
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  const floor = DOUBLE_FLOOR * Math.max(m[3] === undefined ? 1 : 0, Math.abs(v));
  if (m[3] !== undefined) return Math.max(5 * 10 ** (exp - decimals - 1), floor);
  return Math.max(5 * 10 ** -(decimals + 1) * Math.max(1, Math.abs(v)), floor);
}

/** Asserts |actual − expected| <= toleranceFor(expected) (or an explicit looser tolerance). */
export function expectDigits(actual: number, expected: string, tolerance = toleranceFor(expected)): void {
  const v = Number(expected);
  const diff = Math.abs(actual - v);
  if (!(diff <= tolerance)) {
    expect.fail(`expected ${actual} to match ${expected} within ${tolerance.toExponential(2)} (off by ${diff.toExponential(3)})`);
  }
}

/** Element-wise expectDigits. */
export function expectAllDigits(actual: ArrayLike<number>, expected: readonly string[], tolerance?: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectDigits(actual[i]!, e, tolerance));
}
