import { createRandom } from '../random.ts';
import type { Interval } from '../intervals.ts';
import type { UniverseView } from '../research/ports.ts';
import type { UniverseSymbol } from '../universe.ts';
import type { Meta } from '../spec/schema.ts';
import { cmp } from './order.ts';

/**
 * Which symbols the Director screens, and in what order (docs/director.md): a seeded, stratified
 * random draw. Never alphabetical, never the same set for every idea: the draw's seed names the
 * session seed and the spec's logic, so two ideas see different names and a replay sees the same ones.
 *
 * A segment is a sector (or the asset class where there are no sectors). The volatility preference
 * orders each segment before the draw: `high` draws from the upper half of the segment by realised
 * volatility on the visible window first, `low` from the lower half, `medium` and `any` from all of it.
 * A symbol is eligible only with enough visible history (MIN_VISIBLE_SHARE of the market's median
 * visible bars): a listing that began just before the holdout cut date has too little to screen.
 */

/** Symbols per segment in the starter screen. */
export const STARTER_PER_SEGMENT = 2;

/** A symbol needs at least this share of the market's median visible bars to be screened. */
export const MIN_VISIBLE_SHARE = 0.5;

export interface DrawOptions {
  /** Symbols already tested or on their way: never drawn again. */
  exclude: readonly string[];
  /** The seed of the draw (session seed, logic hash, and what is being drawn). */
  seed: string;
  /** Only these segments (a constrained scope); every segment of the market when absent. */
  segments?: readonly string[] | null;
  /** segmentPools for these options, when the caller already has them. */
  pools?: ReadonlyMap<string, UniverseSymbol[]>;
}

/** The market's symbols at the interval with enough visible history, by segment (segments sorted by name). */
export function segmentPools(meta: Meta, universe: UniverseView, interval: Interval, segments?: readonly string[] | null): Map<string, UniverseSymbol[]> {
  const market = universe.symbols().filter((s) => s.market_type === meta.market_type && s.intervals.includes(interval));
  const bars = market.map((s) => universe.visibleBars({ symbol: s.symbol, interval }));
  const sorted = [...bars].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[sorted.length >> 1]!;
  const floor = Math.max(2, MIN_VISIBLE_SHARE * median);
  const pools = new Map<string, UniverseSymbol[]>();
  market.forEach((s, i) => {
    if (bars[i]! < floor) return;
    if (segments != null && !segments.includes(s.sector)) return;
    const list = pools.get(s.sector) ?? [];
    list.push(s);
    pools.set(s.sector, list);
  });
  return new Map([...pools].sort((a, b) => cmp(a[0], b[0])));
}

/**
 * A segment's symbols in draw order: with a `high` / `low` preference the preferred half by realised
 * volatility first (in a seeded random order), then the other half (likewise), so deepening a segment
 * goes on after its preferred half is spent; otherwise the whole segment in a seeded random order.
 */
function drawOrder(meta: Meta, universe: UniverseView, interval: Interval, pool: readonly UniverseSymbol[], seed: string): string[] {
  const names = [...pool].sort((a, b) => cmp(a.symbol, b.symbol)).map((s) => s.symbol);
  const rng = createRandom(seed);
  const pref = meta.volatility_preference;
  if ((pref !== 'high' && pref !== 'low') || names.length < 2) return rng.shuffle(names);
  const vol = new Map(names.map((n) => [n, universe.realizedVol({ symbol: n, interval })]));
  const key = (n: string): number => { const v = vol.get(n)!; return Number.isFinite(v) ? v : -Infinity; };
  const byVol = [...names].sort((a, b) => key(a) - key(b) || cmp(a, b));
  const half = Math.ceil(byVol.length / 2);
  const preferred = pref === 'high' ? byVol.slice(byVol.length - half) : byVol.slice(0, half);
  const rest = pref === 'high' ? byVol.slice(0, byVol.length - half) : byVol.slice(half);
  return [...rng.shuffle(preferred), ...rng.shuffle(rest)];
}

/**
 * `perSegment` symbols from every segment (the starter screen): fewer where a segment has fewer. The
 * result lists segments in name order, each segment's draw in its random order.
 */
export function stratifiedDraw(meta: Meta, universe: UniverseView, interval: Interval, perSegment: number, opts: DrawOptions): Array<{ segment: string; symbols: string[] }> {
  const excluded = new Set(opts.exclude);
  const out: Array<{ segment: string; symbols: string[] }> = [];
  for (const [segment, pool] of segmentPools(meta, universe, interval, opts.segments)) {
    const order = drawOrder(meta, universe, interval, pool.filter((s) => !excluded.has(s.symbol)), `${opts.seed}:${segment}`);
    if (order.length > 0) out.push({ segment, symbols: order.slice(0, perSegment) });
  }
  return out;
}

/**
 * `count` symbols spread over the segments, breadth before depth: each pick goes to the segment with
 * the fewest symbols tested or picked so far (ties by segment name), the symbol drawn at random from
 * it. A segment whose eligible symbols are spent drops out.
 */
export function balancedDraw(meta: Meta, universe: UniverseView, interval: Interval, count: number, opts: DrawOptions): string[] {
  if (count <= 0) return [];
  const excluded = new Set(opts.exclude);
  const pools = opts.pools ?? segmentPools(meta, universe, interval, opts.segments);
  const queues = new Map<string, string[]>();
  const held = new Map<string, number>();
  for (const [segment, pool] of pools) {
    held.set(segment, pool.filter((s) => excluded.has(s.symbol)).length);
    queues.set(segment, drawOrder(meta, universe, interval, pool.filter((s) => !excluded.has(s.symbol)), `${opts.seed}:${segment}`));
  }
  const out: string[] = [];
  while (out.length < count) {
    let best: string | null = null;
    for (const [segment, q] of queues) {
      if (q.length === 0) continue;
      if (best === null || held.get(segment)! < held.get(best)!) best = segment;
    }
    if (best === null) break;
    out.push(queues.get(best)!.shift()!);
    held.set(best, held.get(best)! + 1);
  }
  return out;
}
