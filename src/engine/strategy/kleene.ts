import type { Op } from '../../core/spec/schema.ts';
import { f64Column, u8Column } from '../workspace.ts';

/**
 * Vectorised three-valued logic (docs/semantics.md): each bar holds F, T or U (undefined:
 * the condition read a NaN). Whole-series loops keep the per-bar cost to a compare and a store;
 * each operator has its own small loop so V8 optimises each one tightly.
 */
export const F = 0;
export const T = 1;
export const U = 2;

/** A numeric operand: a series (already lagged) or a constant. */
export type Operand = { series: Float64Array } | { constant: number };

function materialise(x: Operand, n: number): Float64Array {
  if ('series' in x) return x.series;
  return f64Column(n).fill(x.constant);
}

// The NaN tests are predictable branches (NaN is rare); the comparison itself becomes a 0/1
// value without a branch, which matters because on real prices it flips at random.
function lt(A: Float64Array, B: Float64Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) { const x = A[i]!, y = B[i]!; out[i] = x === x && y === y ? +(x < y) : U; }
}
function le(A: Float64Array, B: Float64Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) { const x = A[i]!, y = B[i]!; out[i] = x === x && y === y ? +(x <= y) : U; }
}

/** a[t] > b[t] and a[t−1] ≤ b[t−1]; U where any of the four is NaN, and at t = 0. */
function crossesAbove(A: Float64Array, B: Float64Array, out: Uint8Array): void {
  const n = out.length;
  if (n === 0) return;
  out[0] = U;
  let px = A[0]!, py = B[0]!;
  for (let i = 1; i < n; i++) {
    const x = A[i]!, y = B[i]!;
    out[i] = x === x && y === y && px === px && py === py ? (+(x > y) & +(px <= py)) : U;
    px = x; py = y;
  }
}

export function compare(a: Operand, op: Op, b: Operand, n: number): Uint8Array {
  const out = u8Column(n);
  const A = materialise(a, n);
  const B = materialise(b, n);
  switch (op) {
    case '<': lt(A, B, out); break;
    case '<=': le(A, B, out); break;
    case '>': lt(B, A, out); break;
    case '>=': le(B, A, out); break;
    case 'crosses_above': crossesAbove(A, B, out); break;
    case 'crosses_below': crossesAbove(B, A, out); break;
  }
  return out;
}

export function all(parts: Uint8Array[], n: number): Uint8Array {
  const out = u8Column(n).fill(T);
  for (const p of parts) {
    for (let i = 0; i < n; i++) {
      const o = out[i]!;
      if (o === F) continue;
      const v = p[i]!;
      if (v === F) out[i] = F;
      else if (v === U) out[i] = U;
    }
  }
  return out;
}

export function any(parts: Uint8Array[], n: number): Uint8Array {
  const out = u8Column(n);
  for (const p of parts) {
    for (let i = 0; i < n; i++) {
      const o = out[i]!;
      if (o === T) continue;
      const v = p[i]!;
      if (v === T) out[i] = T;
      else if (v === U) out[i] = U;
    }
  }
  return out;
}

export function not(p: Uint8Array): Uint8Array {
  const out = u8Column(p.length);
  for (let i = 0; i < p.length; i++) { const v = p[i]!; out[i] = v === U ? U : v === T ? F : T; }
  return out;
}

/** Series shifted k bars later (x[k]): NaN for the first k bars. */
export function lag(x: Float64Array, k: number): Float64Array {
  const out = f64Column(x.length);
  const m = Math.min(k, x.length);
  out.fill(NaN, 0, m);
  out.set(x.subarray(0, x.length - m), m);
  return out;
}

/**
 * ORs `bit` into `bits` wherever the comparison is true. A rule that is a single comparison needs
 * no three-valued array: true means "defined and holds", which is exactly what JS comparisons
 * give (any NaN compares false), so one fused pass replaces compare-then-merge.
 */
export function compareInto(a: Operand, op: Op, b: Operand, bits: Uint8Array, bit: number): void {
  const n = bits.length;
  const A = materialise(a, n);
  const B = materialise(b, n);
  switch (op) {
    case '<': for (let i = 0; i < n; i++) bits[i]! |= +(A[i]! < B[i]!) * bit; break;
    case '<=': for (let i = 0; i < n; i++) bits[i]! |= +(A[i]! <= B[i]!) * bit; break;
    case '>': for (let i = 0; i < n; i++) bits[i]! |= +(A[i]! > B[i]!) * bit; break;
    case '>=': for (let i = 0; i < n; i++) bits[i]! |= +(A[i]! >= B[i]!) * bit; break;
    case 'crosses_above': crossInto(A, B, bits, bit); break;
    case 'crosses_below': crossInto(B, A, bits, bit); break;
  }
}

function crossInto(A: Float64Array, B: Float64Array, bits: Uint8Array, bit: number): void {
  const n = bits.length;
  if (n === 0) return;
  // `wasAtOrBelow` is false after a NaN, so a cross needs two defined bars, as the rule says.
  let wasAtOrBelow = A[0]! <= B[0]!;
  for (let i = 1; i < n; i++) {
    const x = A[i]!, y = B[i]!;
    if (wasAtOrBelow && x > y) bits[i]! |= bit;
    wasAtOrBelow = x <= y;
  }
}

/**
 * crosses_above(a, b) ORs `above` into `bits`, crosses_below(a, b) ORs `below`, in one pass. A
 * strategy's entry and exit rules are often the two crosses of the same pair (a reversal, or an
 * entry and its exit): one pass reads the two columns once instead of twice. Each bit is exactly
 * what compareInto gives for its rule alone.
 */
export function crossPairInto(a: Operand, b: Operand, above: number, below: number, bits: Uint8Array): void {
  const n = bits.length;
  if (n === 0) return;
  const A = materialise(a, n);
  const B = materialise(b, n);
  // As in crossInto: both flags are false after a NaN, so a cross needs two defined bars.
  let wasLe = A[0]! <= B[0]!;
  let wasGe = A[0]! >= B[0]!;
  for (let i = 1; i < n; i++) {
    const x = A[i]!, y = B[i]!;
    // A branch per cross, not a store per bar: crosses are rare, and most bars leave `bits` alone.
    if (wasLe && x > y) bits[i]! |= above;
    else if (wasGe && x < y) bits[i]! |= below;
    wasLe = x <= y;
    wasGe = x >= y;
  }
}

