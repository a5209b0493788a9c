/** Small text renderers for human output. JSON output never goes through these (it keeps full precision). */

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of `values`, resampled to `width` columns (last value per column). */
export function sparkline(values: ArrayLike<number>, width = 60): string {
  const n = values.length;
  if (n === 0) return '';
  const cols = Math.min(width, n);
  const picks: number[] = [];
  for (let c = 0; c < cols; c++) picks.push(values[Math.min(n - 1, Math.floor(((c + 1) * n) / cols) - 1)]!);
  const lo = Math.min(...picks);
  const hi = Math.max(...picks);
  const span = hi - lo;
  return picks.map((v) => BLOCKS[span > 0 ? Math.min(7, Math.floor(((v - lo) / span) * 8)) : 3]).join('');
}

/** Two-column aligned table. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
