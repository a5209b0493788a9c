/** What every stage pane is given: its box, title rule included. */
export interface PaneSize {
  width: number;
  height: number;
}
