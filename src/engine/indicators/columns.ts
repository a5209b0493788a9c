import { f64Column } from '../workspace.ts';

/** A fresh output column: NaN (undefined) until a kernel writes a value. */
export function nanColumn(n: number): Float64Array {
  return f64Column(n).fill(NaN);
}

/** Kernels check their own periods too, because a period of 0 or 2.5 would silently produce garbage. */
export function requirePeriod(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
}

/** The common length of the columns; unequal lengths are a caller's bug, not data to compute on. */
export function requireSameLength(columns: ReadonlyArray<Float64Array>): number {
  const n = columns[0]?.length ?? 0;
  for (const c of columns) {
    if (c.length !== n) throw new RangeError(`input columns differ in length: ${columns.map((x) => x.length).join(' vs ')}`);
  }
  return n;
}

/**
 * Calls `visit(from, to)` once per maximal run of bars [from, to) in which no column is NaN.
 *
 * A NaN is a break in the data (a lagged or truncated series, a missing bar), so every kernel
 * computes each run as if the series started there: NaN at the break, a fresh warm-up after it.
 * Without this a single NaN would poison every running sum and recursive average for the rest
 * of the series, and a series with a NaN head (e.g. lagged by k bars) would never produce a value.
 * With it, kernel(lag(x, k)) equals lag(kernel(x), k) exactly.
 */
export function forEachFiniteRun(columns: ReadonlyArray<Float64Array>, visit: (from: number, to: number) => void): void {
  const n = requireSameLength(columns);
  // Fast path: the common case has no NaN at all, and one tight scan per column proves it.
  if (columns.every(hasNoNaN)) {
    if (n > 0) visit(0, n);
    return;
  }
  let i = 0;
  while (i < n) {
    while (i < n && anyNaN(columns, i)) i++;
    const from = i;
    while (i < n && !anyNaN(columns, i)) i++;
    if (i > from) visit(from, i);
  }
}

function hasNoNaN(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) return false;
  }
  return true;
}

function anyNaN(columns: ReadonlyArray<Float64Array>, i: number): boolean {
  for (let c = 0; c < columns.length; c++) {
    const v = columns[c]![i]!;
    // v !== v is the NaN test; it keeps this per-bar check free of calls.
    if (v !== v) return true;
  }
  return false;
}
