/**
 * Which slice of a list a pane of `rows` lines shows so the cursor stays visible: the cursor sits
 * in the middle where it can, the window never runs past either end, and the cursor is clamped
 * into the list. Pure, so the scrolling is tested without rendering.
 */
export interface ListWindow { start: number; end: number; cursor: number }

export function listWindow(cursor: number, count: number, rows: number): ListWindow {
  const n = Math.max(0, Math.floor(count));
  const r = Math.max(0, Math.floor(rows));
  const c = n === 0 ? 0 : Math.min(n - 1, Math.max(0, Math.floor(cursor)));
  if (n <= r) return { start: 0, end: n, cursor: c };
  const start = Math.min(n - r, Math.max(0, c - Math.floor(r / 2)));
  return { start, end: start + r, cursor: c };
}

/** A window starting at `offset` (clamped so it never runs past the end): the trade list's paging. */
export function offsetWindow(offset: number, count: number, rows: number): { start: number; end: number } {
  const n = Math.max(0, Math.floor(count));
  const r = Math.max(0, Math.floor(rows));
  const start = Math.max(0, Math.min(Math.floor(offset), n - r));
  return { start, end: Math.min(n, start + r) };
}
