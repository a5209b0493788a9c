import type { Interval } from '../intervals.ts';
import type { UniverseView } from './ports.ts';
import type { UniverseSymbol } from '../universe.ts';

/**
 * The research scope the user chose (`--symbols`, `--sector`, `--interval`): it restricts what the
 * Director may test. Everything downstream reads the scoped view, so the scope trade rate counts the
 * scope's symbols and no proposal can leave it. The market a run is hedged with stays the whole
 * market (docs/gates.md): a scope is a choice of what to test, not a different market.
 */
export interface ResearchScope {
  /** Only these symbols (already checked against the universe). */
  symbols?: readonly string[];
  /** Only symbols of this sector (exact name from the universe). */
  sector?: string;
  /** Only this interval: no other is proposed. */
  interval?: Interval;
}

export function inScope(u: UniverseSymbol, scope: ResearchScope): boolean {
  if (scope.symbols !== undefined && !scope.symbols.includes(u.symbol)) return false;
  if (scope.sector !== undefined && u.sector !== scope.sector) return false;
  return scope.interval === undefined || u.intervals.includes(scope.interval);
}

/** The universe as a scoped research sees it: the symbols in scope, and only the scope's interval. */
export function scopedUniverse(view: UniverseView, scope: ResearchScope): UniverseView {
  const empty = scope.symbols === undefined && scope.sector === undefined && scope.interval === undefined;
  if (empty) return view;
  return {
    symbols: () => view.symbols().filter((u) => inScope(u, scope))
      .map((u) => (scope.interval === undefined ? u : { ...u, intervals: [scope.interval] })),
    realizedVol: (key) => view.realizedVol(key),
    visibleBars: (key) => view.visibleBars(key),
    sealedBars: (key) => view.sealedBars(key),
    // A scope with one interval proposes no other, so nothing is downloaded for one.
    ...(view.downloadOffer === undefined || scope.interval !== undefined ? {} : { downloadOffer: view.downloadOffer.bind(view) }),
  };
}

/** "symbols AAPL, MSFT · sector Financials · interval 1d": the scope in words, for notes and provenance. */
export function scopeText(scope: ResearchScope): string {
  return [
    scope.symbols === undefined ? null : `symbols ${scope.symbols.join(', ')}`,
    scope.sector === undefined ? null : `sector ${scope.sector}`,
    scope.interval === undefined ? null : `interval ${scope.interval}`,
  ].filter((x) => x !== null).join(' · ');
}
