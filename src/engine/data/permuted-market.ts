/**
 * A `--universe` market of real bars permuted in time (permute.ts): a seeded draw of real symbols,
 * so many per sector, each series shuffled with its own seeded stream. Real drift, volatility and fat
 * tails; no timing edge. Written with writeMarket like a synthetic market.
 */
import { UserError } from '../../core/errors.ts';
import type { Interval } from '../../core/intervals.ts';
import { createRandom } from '../../core/random.ts';
import type { UniverseFile } from '../../core/universe.ts';
import type { Bars } from './bars.ts';
import { permuteBars } from './permute.ts';
import type { Universe } from './universe.ts';

export const PERMUTED_GENERATOR = 'gauntlet-permuted';
export const PERMUTED_VERSION = 1;

export interface PermutedOptions {
  seed: number;
  interval: Interval;
  /** Symbols to draw per sector of `source` (the sector names are the source's). */
  sectorSizes: ReadonlyArray<{ name: string; symbols: number }>;
  /** Only symbols with at least this many bars at the interval are drawn (default 1). */
  minBars?: number;
}

export interface PermutedMarket {
  universe: UniverseFile;
  bars: Bars[];
}

/**
 * Draws `sectorSizes[k].symbols` symbols from sector k of `source` (uniformly among those with
 * `minBars` bars, sorted first so the draw depends on the seed only), loads them repaired (as
 * research does) and permutes each. Symbols keep their real tickers and sectors.
 */
export function permutedMarket(source: Universe, o: PermutedOptions): PermutedMarket {
  const root = createRandom(o.seed).fork(PERMUTED_GENERATOR).fork(PERMUTED_VERSION);
  const minBars = o.minBars ?? 1;
  const bySector = new Map<string, string[]>();
  for (const s of source.symbols()) {
    const info = source.info(s);
    if (!info.intervals.includes(o.interval)) continue;
    const list = bySector.get(info.sector) ?? [];
    list.push(s);
    bySector.set(info.sector, list);
  }
  const symbols: UniverseFile['symbols'] = {};
  const bars: Bars[] = [];
  for (const { name, symbols: want } of o.sectorSizes) {
    const pool = (bySector.get(name) ?? []).filter((s) => source.loadBars(s, o.interval, { repair: true }).bars.time.length >= minBars);
    if (pool.length < want) throw new UserError(`permuted market: sector "${name}" has ${pool.length} symbols with ${minBars}+ bars at ${o.interval}, ${want} asked`);
    const picked = root.fork(`draw:${name}`).shuffle([...pool]).slice(0, want).sort();
    for (const s of picked) {
      const real = source.loadBars(s, o.interval, { repair: true }).bars;
      bars.push(permuteBars(real, root.fork(`permute:${s}`)));
      symbols[s] = { sector: name, market_type: 'equities', files: { [o.interval]: `${s}.csv` }, label: 'start' };
    }
  }
  const universe: UniverseFile = {
    schema: 'gauntlet/universe@1',
    name: `real bars permuted in time, seed ${o.seed} ${o.interval}`,
    symbols,
    edge: { kind: 'none' },
    synthetic: {
      generator: PERMUTED_GENERATOR,
      version: PERMUTED_VERSION,
      seed: o.seed,
      source: source.name,
      interval: o.interval,
      symbols: bars.length,
      sectors: o.sectorSizes.length,
      sector_sizes: o.sectorSizes.map((x) => `${x.name}:${x.symbols}`).join(','),
    },
  };
  return { universe, bars };
}
