/** Did-you-mean for symbol names: a mistyped symbol is answered with up to three close ones. */

/** Optimal-string-alignment distance: edits plus adjacent transpositions (MSTF → MSFT is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** Up to three close symbol names (case-insensitive exact match first). */
export function suggest(input: string, names: readonly string[]): string[] {
  const q = input.toUpperCase();
  const exact = names.filter((n) => n.toUpperCase() === q);
  if (exact.length > 0) return exact.slice(0, 3);
  const limit = Math.max(1, Math.floor(q.length / 3));
  return names
    .map((n) => ({ n, d: editDistance(q, n.toUpperCase()), p: n.toUpperCase().startsWith(q) ? 0 : 1 }))
    .filter((x) => x.d <= limit || (x.p === 0 && q.length >= 2))
    .sort((x, y) => x.d - y.d || x.p - y.p || x.n.localeCompare(y.n))
    .slice(0, 3)
    .map((x) => x.n);
}
