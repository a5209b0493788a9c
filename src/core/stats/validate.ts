// Input checks shared by the stats modules. An impossible input here is a programming error
// (the engine built the wrong array, passed excess kurtosis, …), not a user error, so these
// throw RangeError with a message that names the argument and the offending value.

/** Throws unless `x` is a finite number. */
export function requireFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}

/** Throws unless every element is finite; reports the first bad index. */
export function requireFiniteArray(xs: ArrayLike<number>, what: string): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}] must be finite, got ${v}`);
  }
}

/** Throws unless `x` is finite and `x >= min`. */
export function requireAtLeast(x: number, min: number, what: string): void {
  if (!Number.isFinite(x) || x < min) throw new RangeError(`${what} must be a finite number >= ${min}, got ${x}`);
}

/** Throws unless `x` is an integer and `x >= min`. */
export function requireIntegerAtLeast(x: number, min: number, what: string): void {
  if (!Number.isInteger(x) || x < min) throw new RangeError(`${what} must be an integer >= ${min}, got ${x}`);
}

/** Throws unless 0 < p < 1 (significance levels, priors). */
export function requireOpenUnit(p: number, what: string): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${what} must be in (0, 1), got ${p}`);
}

/** Throws unless 0 <= p <= 1 (p-values). */
export function requireClosedUnit(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what} must be in [0, 1], got ${p}`);
}

/**
 * Guards the kurtosis convention. Every real distribution has g4 >= 1 + g3² (Pearson), and
 * population sample moments satisfy it exactly, so a smaller value means the caller passed
 * *excess* kurtosis (normal = 0) — the quantstats bug in stats.md §1 — or garbage.
 */
export function requireNonExcessKurtosis(skewness: number, kurtosis: number): void {
  requireFinite(skewness, 'skewness');
  requireFinite(kurtosis, 'kurtosis');
  const floor = 1 + skewness * skewness;
  if (kurtosis < floor - 1e-12 * floor) {
    throw new RangeError(
      `kurtosis must be NON-excess (normal = 3) and satisfy g4 >= 1 + g3² = ${floor}; got ${kurtosis}` +
        ' (did you pass excess kurtosis?)',
    );
  }
}
