import { UserError } from '../errors.ts';
import type { Interval } from '../intervals.ts';
import type { UniverseView } from '../research/ports.ts';
import type { UniverseSymbol } from '../universe.ts';
import type { SeriesKey } from '../research/run.ts';
import type { Meta } from '../spec/schema.ts';
import { candidateIntervals } from './intervals.ts';
import { STARTER_PER_SEGMENT, stratifiedDraw } from './screen.ts';

/** The market's symbols that can be loaded at `interval`. */
export function marketAt(meta: Meta, universe: UniverseView, interval: Interval): UniverseSymbol[] {
  return universe.symbols().filter((s) => s.market_type === meta.market_type && s.intervals.includes(interval));
}

/**
 * A market needs this many symbols at an interval before that interval is preferred for the screen:
 * fewer leave no room to compare segments or to keep fresh symbols for the confirmation.
 */
export const MIN_SCREEN_SYMBOLS = 5;

/**
 * The starter screen (docs/director.md): the first candidate interval whose market has
 * MIN_SCREEN_SYMBOLS symbols (otherwise the candidate interval with the most, earlier candidates
 * winning ties), and there a seeded stratified draw of STARTER_PER_SEGMENT symbols from every
 * segment. The symbols are listed round-robin over the segments (first pick of each, then the
 * second), so the initial backtest's symbol is one segment's draw, not an alphabetical first.
 */
export function initialSelection(meta: Meta, universe: UniverseView, seed: string): { symbols: string[]; interval: Interval; segments: Array<{ segment: string; symbols: string[] }> } {
  const market = universe.symbols().filter((s) => s.market_type === meta.market_type);
  const available = [...new Set(market.flatMap((s) => s.intervals))];
  const intervals = candidateIntervals(meta, available);
  if (intervals.length === 0) {
    throw new UserError(`no ${meta.market_type} data in the universe at an interval a ${meta.holding_period}-holding ${meta.style} strategy can use (available: ${available.join(', ') || 'none'})`);
  }
  let interval = intervals[0]!;
  let most = -1;
  for (const i of intervals) {
    const n = marketAt(meta, universe, i).length;
    if (n >= MIN_SCREEN_SYMBOLS) { interval = i; break; }
    if (n > most) { interval = i; most = n; }
  }
  const segments = stratifiedDraw(meta, universe, interval, STARTER_PER_SEGMENT, { exclude: [], seed: `${seed}:${interval}:starter` });
  const symbols: string[] = [];
  for (let k = 0; k < STARTER_PER_SEGMENT; k++) for (const d of segments) if (d.symbols[k] !== undefined) symbols.push(d.symbols[k]!);
  return { symbols, interval, segments };
}

/**
 * A view that asks the underlying one once per symbol list and once per series: a Director round
 * draws from the same universe several times, and realised volatility and visible bars mean loading bars.
 */
export function memoUniverse(u: UniverseView): UniverseView {
  let symbols: UniverseSymbol[] | null = null;
  const vols = new Map<string, number>();
  const bars = new Map<string, number>();
  const memo = (m: Map<string, number>, k: SeriesKey, f: (k: SeriesKey) => number): number => {
    const id = `${k.symbol}@${k.interval}`;
    let v = m.get(id);
    if (v === undefined) { v = f(k); m.set(id, v); }
    return v;
  };
  return {
    symbols: () => (symbols ??= u.symbols()),
    realizedVol: (k) => memo(vols, k, (x) => u.realizedVol(x)),
    visibleBars: (k) => memo(bars, k, (x) => u.visibleBars(x)),
    sealedBars: (k) => u.sealedBars(k),
    ...(u.downloadOffer === undefined ? {} : { downloadOffer: u.downloadOffer.bind(u) }),
  };
}

export { cmp } from './order.ts';
