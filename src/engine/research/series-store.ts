import { seriesKeyText, type SeriesKey } from '../../core/research/run.ts';
import type { Bars } from '../data/bars.ts';
import { issueLine } from '../data/issues.ts';
import type { Universe } from '../data/universe.ts';

export interface StoredSeries {
  bars: Bars;
  sector: string;
}

/**
 * Bars per SeriesKey, loaded on first use and kept for the session. Research loads with `repair` on
 * by default: the bundled stock set has known bad rows (e.g. a zero open), and refusing whole symbols
 * over one row would silently shrink the universe. Repairs are never silent either: every dropped or
 * moved row becomes a note (`notes()`), which the loop logs.
 */
export class SeriesStore {
  private readonly cache = new Map<string, StoredSeries>();
  private readonly dataNotes: string[] = [];

  /** `universe`: the session's universe now (it grows when a download lands; loaded series stay as they were). */
  constructor(private readonly universe: () => Universe, private readonly repair: boolean) {}

  get(key: SeriesKey): StoredSeries {
    const id = seriesKeyText(key);
    let s = this.cache.get(id);
    if (s === undefined) {
      const loaded = this.universe().loadBars(key.symbol, key.interval, { repair: this.repair });
      for (const r of loaded.repairs) this.dataNotes.push(`${id} repaired: ${issueLine(r)}`);
      for (const w of loaded.warnings) this.dataNotes.push(`${id} ${issueLine(w)}`);
      s = { bars: loaded.bars, sector: this.universe().info(key.symbol).sector };
      this.cache.set(id, s);
    }
    return s;
  }

  /** Data notes so far, in load order (a copy). */
  notes(): string[] {
    return [...this.dataNotes];
  }
}
