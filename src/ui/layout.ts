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
  /** Panes per grid row: 2, or 4 from 160 columns. */
  gridColumns: number;
  paneWidth: number;
  /** Height of each grid row (title line included); the last row takes the remainder. */
  paneHeights: number[];
  /** Lines for the pane area in total (zoomed panes, help and browsers use all of it). */
  areaHeight: number;
  /** The inbox: a title line and a line of keys. */
  inboxLines: number;
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
  const gridColumns = cols >= 160 ? 4 : 2;
  const gridRows = PANES.length / gridColumns;
  const areaHeight = Math.max(0, rws - fixedLines(headerLines, inboxLines));
  const base = Math.floor(areaHeight / gridRows);
  // Four abreast, the first row (idea, spec, compiler, Director) says what it has in a few lines,
  // while the second (engine chart, every gate, the review, the verdict) uses whatever it gets: it
  // gets 70 % of a tall terminal, never leaving the first row under 10 lines.
  const top = gridRows === 2 ? Math.min(base, Math.max(10, Math.floor(areaHeight * 0.3))) : base;
  const paneHeights = Array.from({ length: gridRows }, (_, i) => (i === gridRows - 1 ? areaHeight - top * (gridRows - 1) : top));
  const paneWidth = Math.floor((cols - (gridColumns - 1)) / gridColumns);
  return { columns: cols, rows: rws, tooSmall, headerLines, compactStrip: cols < 110, gridColumns, paneWidth, paneHeights, areaHeight, inboxLines };
}
