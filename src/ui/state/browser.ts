import type { LedgerEntry } from '../../core/ledger/schema.ts';
import type { LedgerCheck, LibraryRow, RunDetail, RunRow, SpecRow } from '../browsers/data.ts';

/**
 * The browsers' part of the console state: which browser, where each cursor is, and the snapshot
 * of the store they show (read by the composition root when the browsers open).
 */

export const BROWSER_TABS = ['specs', 'runs', 'ledger', 'library'] as const;
export type BrowserTab = (typeof BROWSER_TABS)[number];

export interface BrowserSnapshot {
  specs: SpecRow[];
  runs: RunRow[];
  ledger: readonly LedgerEntry[];
  library: LibraryRow[];
}

export interface BrowserState {
  tab: BrowserTab;
  cursor: Record<BrowserTab, number>;
  showDiff: boolean;
  tradeOffset: number;
  data: BrowserSnapshot | null;
  detail: RunDetail | null;
  verify: LedgerCheck | null;
  /** The last thing a browser action reported (an export written, a load that failed). */
  message: string | null;
  /** Where the console was before the browsers opened. */
  returnTo: 'console' | 'start';
}

export function emptyBrowser(): BrowserState {
  return { tab: 'specs', cursor: { specs: 0, runs: 0, ledger: 0, library: 0 }, showDiff: false, tradeOffset: 0, data: null, detail: null, verify: null, message: null, returnTo: 'console' };
}

/** How many rows the highlighted tab's list has (for clamping the cursor). */
export function tabLength(b: BrowserState): number {
  if (b.data === null) return 0;
  switch (b.tab) {
    case 'specs': return b.data.specs.length;
    case 'runs': return b.data.runs.length;
    case 'ledger': return b.data.ledger.length;
    case 'library': return b.data.library.length;
  }
}

/** The run under the runs cursor, if any. */
export function selectedRun(b: BrowserState): RunRow | null {
  if (b.data === null || b.data.runs.length === 0) return null;
  return b.data.runs[Math.min(b.data.runs.length - 1, Math.max(0, b.cursor.runs))] ?? null;
}

/** The spec id under the specs cursor (or the library's candidate): what a dossier exports. */
export function selectedSpecId(b: BrowserState): string | null {
  if (b.data === null) return null;
  if (b.tab === 'specs') return b.data.specs[Math.min(b.data.specs.length - 1, b.cursor.specs)]?.id ?? null;
  if (b.tab === 'library') return b.data.library[Math.min(b.data.library.length - 1, b.cursor.library)]?.spec_id ?? null;
  return null;
}
