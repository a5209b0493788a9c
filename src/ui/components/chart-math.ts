// Pure arithmetic behind the text equity chart: bucket a series down to the
// columns we have, then map each column to a fill level in eighths of a cell.

/** The eight partial-block glyphs plus blank, indexed by filled eighths (0–8). */
export const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * One value per column. A bucket shows its last finite value (an equity curve
 * is read at the end of each period); a bucket with none stays NaN, so a
 * warm-up shows as blank columns rather than a fake zero.
 * Series no longer than `width` are kept one value per column.
 */
export function downsample(values: ArrayLike<number>, width: number): Float64Array {
  const n = values.length;
  const cols = Math.max(0, Math.min(n, Math.floor(width)));
  const out = new Float64Array(cols).fill(NaN);
  for (let c = 0; c < cols; c++) {
    const start = Math.floor((c * n) / cols);
    const end = Math.floor(((c + 1) * n) / cols);
    for (let i = end - 1; i >= start; i--) {
      const v = values[i]!;
      if (Number.isFinite(v)) { out[c] = v; break; }
    }
  }
  return out;
}

export interface Range { min: number; max: number }

/** Min and max over the finite values, or null when there are none. */
export function finiteRange(values: ArrayLike<number>): Range | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : { min, max };
}

/**
 * Fill level of each column in eighths, 1 … height·8 (the minimum still
 * shows one eighth so it is visible); 0 for a NaN column. A flat series sits
 * at half height, since there is no scale to place it on.
 */
export function levels(cols: ArrayLike<number>, height: number): Int32Array {
  const out = new Int32Array(cols.length);
  const top = Math.max(1, Math.floor(height)) * 8;
  const range = finiteRange(cols);
  if (range === null) return out;
  const span = range.max - range.min;
  for (let c = 0; c < cols.length; c++) {
    const v = cols[c]!;
    if (!Number.isFinite(v)) continue;
    out[c] = span === 0 ? Math.ceil(top / 2) : 1 + Math.round(((v - range.min) / span) * (top - 1));
  }
  return out;
}

/** Rows of glyphs, top row first; row r from the bottom holds eighths r·8+1 … r·8+8. */
export function chartRows(lv: ArrayLike<number>, height: number): string[] {
  const h = Math.max(1, Math.floor(height));
  const rows: string[] = [];
  for (let r = h - 1; r >= 0; r--) {
    let line = '';
    for (let c = 0; c < lv.length; c++) {
      const fill = Math.min(8, Math.max(0, lv[c]! - r * 8));
      line += BLOCKS[fill];
    }
    rows.push(line);
  }
  return rows;
}
