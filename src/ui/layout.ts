/**
 * How the console divides the terminal. Pure arithmetic, so the bounds are tested without
 * rendering: the live region never grows taller than the terminal (a taller one makes Ink clear
 * the screen on every frame) and no pane is wider than its share.
 */

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** The eight stage panes, in DESIGN §1 order (the idea is the header of the Translator pane). */
export const PANES = ['translator', 'spec', 'compiler', 'director', 'engine', 'gates', 'reviewer', 'decision'] as const;
export type PaneId = (typeof PANES)[number];

export interface ConsoleLayout {
  columns: number;
  rows: number;
  /** Below 80×24: only a "terminal too small" line is drawn. */
  tooSmall: boolean;
  /** The header takes two lines below 120 columns. */
  headerLines: number;
  /** Short stage names in the pipeline strip below 110 columns. */
  compactStrip: boolean;
  /** Panes in the widest grid row: 2 below 120 columns, 3 from 120, 4 from 160. */
  gridColumns: number;
  /** Width of the narrowest pane. */
  paneWidth: number;
  /** Height of each grid row (title line included). */
  paneHeights: number[];
  /** The grid row by row: its panes in PANES order, each one's width, and the row's height. */
  grid: GridRow[];
  /** Lines for the pane area in total (zoomed panes, help and browsers use all of it). */
  areaHeight: number;
  /** The inbox: a title line and a line of keys. */
  inboxLines: number;
}

export interface GridRow {
  panes: PaneId[];
  widths: number[];
  height: number;
}

/**
 * Which panes share a row, and their shares of its width, by terminal width. Below 120 columns,
 * two abreast in four rows. From 120, three rows, so every pane is taller: the idea, spec and
 * compiler (a few lines that wrap) three abreast; the Director's ranking and the engine's chart two
 * abreast, as wide as at 2 × 59; the gates (registration and legs, check lines) at half the
 * width, as wide as two abreast, beside the review and the verdict (prose that wraps) at a quarter each. From 160, four abreast in two rows.
 */
const ROWS: ReadonlyArray<{ from: number; rows: ReadonlyArray<ReadonlyArray<readonly [PaneId, number]>> }> = [
  { from: 160, rows: [[['translator', 1], ['spec', 1], ['compiler', 1], ['director', 1]], [['engine', 1], ['gates', 1], ['reviewer', 1], ['decision', 1]]] },
  { from: 120, rows: [[['translator', 1], ['spec', 1], ['compiler', 1]], [['director', 1], ['engine', 1]], [['gates', 2], ['reviewer', 1], ['decision', 1]]] },
  { from: 0, rows: [[['translator', 1], ['spec', 1]], [['compiler', 1], ['director', 1]], [['engine', 1], ['gates', 1]], [['reviewer', 1], ['decision', 1]]] },
];

/** Widths of panes sharing `columns` by weight, a column between them (rounded down: a spare column is harmless). */
function shares(columns: number, weights: readonly number[]): number[] {
  const room = columns - (weights.length - 1);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.floor((room * w) / total));
}

/** Lines that are not panes: header, pipeline strip, inbox, ledger line, and one spare line Ink needs. */
function fixedLines(headerLines: number, inboxLines: number): number {
  return headerLines + 1 + inboxLines + 1 + 1;
}

export function consoleLayout(columns: number, rows: number): ConsoleLayout {
  const cols = Math.floor(columns);
  const rws = Math.floor(rows);
  const tooSmall = !(cols >= MIN_COLUMNS && rws >= MIN_ROWS);
  const headerLines = cols >= 120 ? 1 : 2;
  const inboxLines = 2;
  const plan = ROWS.find((r) => cols >= r.from)!.rows;
  const gridColumns = Math.max(...plan.map((r) => r.length));
  const gridRows = plan.length;
  const areaHeight = Math.max(0, rws - fixedLines(headerLines, inboxLines));
  const base = Math.floor(areaHeight / gridRows);
  // In two or three rows, the first (idea, spec, compiler …) says what it has in a few lines, while
  // the rows below (the Director's ranking, the engine chart, every gate, the review, the verdict)
  // use whatever they get: the first row takes 30 % of a tall terminal, never under 10 lines.
  const top = gridRows < 4 ? Math.min(base, Math.max(10, Math.floor(areaHeight * 0.3))) : base;
  const below = Math.floor((areaHeight - top) / Math.max(1, gridRows - 1));
  const paneHeights = plan.map((_, i) => (i === 0 ? top : i === gridRows - 1 ? areaHeight - top - below * (gridRows - 2) : below));
  const grid = plan.map((row, r) => ({ panes: row.map(([id]) => id), widths: shares(cols, row.map(([, w]) => w)), height: paneHeights[r]! }));
  const paneWidth = Math.min(...grid.flatMap((g) => g.widths));
  return { columns: cols, rows: rws, tooSmall, headerLines, compactStrip: cols < 110, gridColumns, paneWidth, paneHeights, grid, areaHeight, inboxLines };
}
