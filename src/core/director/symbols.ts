import { UserError } from '../errors.ts';
import type { Interval } from '../intervals.ts';
import type { UniverseSymbol, UniverseView } from '../research/ports.ts';
import type { Meta } from '../spec/schema.ts';
import { candidateIntervals } from './intervals.ts';

/**
 * Symbol candidates (DESIGN §6 Director rules). The market type filters the universe; the
 * volatility preference orders what is left:
 *
 * | preference | order                                                              |
 * |------------|--------------------------------------------------------------------|
 * | high       | realised volatility, highest first                                 |
 * | low        | realised volatility, lowest first                                  |
 * | medium     | distance to the median volatility of the market at that interval   |
 * | any        | sector balance: the next pick comes from the sector with the fewest |
 * |            | symbols so far (tested + picked); ties by sector name, and inside a |
 * |            | sector by symbol                                                   |
 *
 * The medium target is the median of the whole market at the interval (not of what is left), so
 * it does not drift as symbols get tested. A symbol whose volatility is not a finite number sorts
 * last. Remaining ties go by symbol, so the order is total and reproducible.
 */

export interface SymbolOptions {
  /** Symbols already tested or pending: never offered again. */
  exclude: readonly string[];
  count: number;
  /** Restrict to one sector (expansion into a sector, or a constrained universe). */
  sector?: string;
}

/** The market's symbols that can be loaded at `interval`. */
export function marketAt(meta: Meta, universe: UniverseView, interval: Interval): UniverseSymbol[] {
  return universe.symbols().filter((s) => s.market_type === meta.market_type && s.intervals.includes(interval));
}

export function candidateSymbols(meta: Meta, universe: UniverseView, interval: Interval, opts: SymbolOptions): string[] {
  if (opts.count <= 0) return [];
  const market = marketAt(meta, universe, interval);
  const excluded = new Set(opts.exclude);
  const pool = market.filter((s) => !excluded.has(s.symbol) && (opts.sector === undefined || s.sector === opts.sector));
  if (meta.volatility_preference === 'any') return bySectorBalance(pool, market.filter((s) => excluded.has(s.symbol)), opts.count);

  // Medium needs the whole market's median; high and low only the pool's own volatilities.
  const measured = meta.volatility_preference === 'medium' ? market : pool;
  const vol = new Map(measured.map((s) => [s.symbol, universe.realizedVol({ symbol: s.symbol, interval })]));
  const target = meta.volatility_preference === 'medium' ? median([...vol.values()].filter(Number.isFinite)) : NaN;
  const key = (s: UniverseSymbol): number => {
    const v = vol.get(s.symbol)!;
    if (!Number.isFinite(v)) return Infinity;
    if (meta.volatility_preference === 'high') return -v;
    if (meta.volatility_preference === 'low') return v;
    return Math.abs(v - target);
  };
  return pool
    .map((s) => ({ s, k: key(s) }))
    .sort((a, b) => (a.k === b.k ? 0 : a.k < b.k ? -1 : 1) || cmp(a.s.symbol, b.s.symbol))
    .slice(0, opts.count)
    .map((x) => x.s.symbol);
}

/** Greedy round-robin: each pick goes to the sector with the fewest symbols so far. */
function bySectorBalance(pool: UniverseSymbol[], tested: UniverseSymbol[], count: number): string[] {
  const queues = new Map<string, string[]>();
  for (const s of [...pool].sort((a, b) => cmp(a.symbol, b.symbol))) {
    const q = queues.get(s.sector) ?? [];
    q.push(s.symbol);
    queues.set(s.sector, q);
  }
  const held = new Map<string, number>();
  for (const s of tested) held.set(s.sector, (held.get(s.sector) ?? 0) + 1);
  const out: string[] = [];
  while (out.length < count) {
    let best: string | null = null;
    for (const [sector, q] of queues) {
      if (q.length === 0) continue;
      if (best === null) { best = sector; continue; }
      const d = (held.get(sector) ?? 0) - (held.get(best) ?? 0);
      if (d < 0 || (d === 0 && cmp(sector, best) < 0)) best = sector;
    }
    if (best === null) break;
    out.push(queues.get(best)!.shift()!);
    held.set(best, (held.get(best) ?? 0) + 1);
  }
  return out;
}

/**
 * How many symbols the initial backtest set holds. Viability is judged pooled over the tested
 * set (a daily strategy needs a universe, not one symbol), and sector stability needs several
 * names before it means anything; five is enough to see "3 of 5 held" while costing 10 + 4 × 5 =
 * 30 credits, 3 % of a default budget.
 */
export const INITIAL_SYMBOLS = 5;

/**
 * The first tested set: the first candidate interval that can host INITIAL_SYMBOLS symbols of the
 * market (otherwise the candidate interval with the most, earlier candidates winning ties), and
 * the first INITIAL_SYMBOLS candidate symbols there. A lone pair of intraday files would leave no
 * room to expand or prove stability across sectors, so a universe outranks a lower interval.
 */
export function initialSelection(meta: Meta, universe: UniverseView): { symbols: string[]; interval: Interval } {
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
    if (n >= INITIAL_SYMBOLS) { interval = i; break; }
    if (n > most) { interval = i; most = n; }
  }
  return { symbols: candidateSymbols(meta, universe, interval, { exclude: [], count: INITIAL_SYMBOLS }), interval };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * A view that asks the underlying one once per symbol list and once per series: a Director round
 * ranks the same universe several times, and realised volatility means loading bars.
 */
export function memoUniverse(u: UniverseView): UniverseView {
  let symbols: UniverseSymbol[] | null = null;
  const vols = new Map<string, number>();
  return {
    symbols: () => (symbols ??= u.symbols()),
    realizedVol: (k) => {
      const id = `${k.symbol}@${k.interval}`;
      let v = vols.get(id);
      if (v === undefined) { v = u.realizedVol(k); vols.set(id, v); }
      return v;
    },
  };
}

/** Code-point order, not locale order: the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
