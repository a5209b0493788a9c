import type { StoreApi } from 'zustand/vanilla';
import type { LedgerCheck, RunDetail, RunRow } from '../browsers/data.ts';
import { BROWSER_TABS, selectedRun, selectedSpecId, tabLength, type BrowserSnapshot, type BrowserState } from './browser.ts';
import type { ConsoleData } from './types.ts';

/** What the browsers ask the composition root to read or write. */
export interface BrowserEffects {
  /** Read a snapshot of the store for the browsers (then `browserLoaded`). */
  browse(): void;
  /** Read a run's equity and trades (then `runDetailLoaded`). */
  runDetail(run: RunRow): void;
  /** Verify the ledger (then `verified`). */
  verify(): void;
  /** Write a strategy's dossier (then `browserMessage`). */
  exportDossier(specId: string): void;
}

export interface BrowserActions {
  openBrowser(): void;
  closeBrowser(): void;
  browserLoaded(data: BrowserSnapshot): void;
  runDetailLoaded(detail: RunDetail): void;
  verified(check: LedgerCheck): void;
  browserMessage(text: string): void;
  browserTab(step: 1 | -1): void;
  browserMove(delta: number): void;
  /** `rows`: a page, the rows the browser shows now (the runs browser: its visible trades). */
  browserPage(delta: number, rows: number): void;
  toggleDiff(): void;
  verifyLedger(): void;
  exportDossier(): void;
}

type Api<S> = Pick<StoreApi<S>, 'setState' | 'getState'>;

export function browserActions<S extends ConsoleData>(set: Api<S>['setState'], get: Api<S>['getState'], effects: BrowserEffects): BrowserActions {
  const patch = (f: (b: BrowserState) => Partial<BrowserState>): void => set((s) => ({ browser: { ...s.browser, ...f(s.browser) } }) as Partial<S>);
  const loadSelectedRun = (): void => {
    const b = get().browser;
    const run = b.tab === 'runs' ? selectedRun(b) : null;
    if (run !== null && b.detail?.run.id !== run.id) effects.runDetail(run);
  };
  const move = (delta: number): void => {
    patch((b) => {
      const n = tabLength(b);
      const at = n === 0 ? 0 : Math.min(n - 1, Math.max(0, b.cursor[b.tab] + delta));
      return { cursor: { ...b.cursor, [b.tab]: at }, ...(b.tab === 'runs' ? { tradeOffset: 0 } : {}) };
    });
    loadSelectedRun();
  };
  return {
    openBrowser: () => {
      set((s) => ({ focus: 'browser', help: false, browser: { ...s.browser, data: null, verify: null, message: null, returnTo: s.screen === 'start' ? 'start' : 'console' } }) as Partial<S>);
      effects.browse();
    },
    closeBrowser: () => set((s) => ({ focus: s.browser.returnTo === 'start' ? 'examples' : 'console' }) as Partial<S>),
    browserLoaded: (data) => {
      patch((b) => {
        const cursor = { ...b.cursor };
        for (const t of BROWSER_TABS) cursor[t] = Math.min(Math.max(0, tabLength({ ...b, data, tab: t }) - 1), cursor[t]);
        return { data, cursor };
      });
      loadSelectedRun();
    },
    runDetailLoaded: (detail) => patch(() => ({ detail })),
    verified: (check) => patch(() => ({ verify: check })),
    browserMessage: (text) => patch(() => ({ message: text })),
    browserTab: (step) => {
      patch((b) => ({ tab: BROWSER_TABS[(BROWSER_TABS.indexOf(b.tab) + step + BROWSER_TABS.length) % BROWSER_TABS.length]!, message: null }));
      loadSelectedRun();
    },
    browserMove: move,
    browserPage: (delta, rows) => {
      // On the runs browser a page scrolls the trade list; elsewhere it moves the cursor a page.
      const page = Math.max(1, Math.floor(rows));
      if (get().browser.tab === 'runs') patch((b) => ({ tradeOffset: Math.max(0, b.tradeOffset + delta * page) }));
      else move(delta * page);
    },
    toggleDiff: () => patch((b) => ({ showDiff: !b.showDiff })),
    verifyLedger: () => { if (get().browser.tab === 'ledger') effects.verify(); },
    exportDossier: () => {
      const id = selectedSpecId(get().browser);
      if (id === null) patch(() => ({ message: 'nothing to export here: pick a spec (specs) or a candidate (library)' }));
      else effects.exportDossier(id);
    },
  };
}
