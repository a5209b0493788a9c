/** Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest of `names` to a mistyped `input` (a command or a flag), or null when none is close: at
 * most a third of the input's length away (at least 1), or an unambiguous prefix. Like gh and git.
 */
export function closest(input: string, names: readonly string[]): string | null {
  const q = input.toLowerCase();
  const prefixed = names.filter((n) => n.toLowerCase().startsWith(q));
  if (q.length >= 2 && prefixed.length === 1) return prefixed[0]!;
  const limit = Math.max(1, Math.floor(q.length / 3));
  const ranked = names.map((n) => ({ n, d: distance(q, n.toLowerCase()) })).filter((x) => x.d <= limit).sort((x, y) => x.d - y.d || x.n.localeCompare(y.n));
  return ranked[0]?.n ?? null;
}
