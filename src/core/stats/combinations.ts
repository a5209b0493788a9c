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

/** Calls `visit(subset)` for every k-subset in lexicographic order; `subset` is reused — copy it to keep it. */
export function forEachCombination(n: number, k: number, visit: (subset: Int32Array) => void): void {
  if (k < 0 || k > n) return;
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    visit(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}
