// k-subsets of {0..n−1} in lexicographic order — the CSCV split order of itertools.combinations,
// which pypbo and the stats.md §3 toy vector follow.

/** C(n, k) as a double (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= kk; i++) c = (c * (n - kk + i)) / i;
  return Math.round(c);
}

/**
 * Advances `subset` (a k-subset of {0..n−1}, ascending) to its lexicographic successor in place.
 * Returns false, leaving it unchanged, when it is already the last one.
 */
export function nextCombination(subset: Int32Array, n: number): boolean {
  const k = subset.length;
  let i = k - 1;
  while (i >= 0 && subset[i] === n - k + i) i--;
  if (i < 0) return false;
  subset[i] = subset[i]! + 1;
  for (let j = i + 1; j < k; j++) subset[j] = subset[j - 1]! + 1;
  return true;
}

/** Calls `visit(subset)` for every k-subset in lexicographic order; `subset` is reused — copy it to keep it. */
export function forEachCombination(n: number, k: number, visit: (subset: Int32Array) => void): void {
  if (k < 0 || k > n) return;
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  do visit(idx);
  while (nextCombination(idx, n));
}
