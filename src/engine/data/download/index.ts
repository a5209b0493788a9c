/**
 * Downloads into a universe directory: `downloadInto` (what `data download` runs), the providers, and
 * which symbols of a universe lack an interval. The research loop's "Download data (if req)" proposal
 * goes through research.ts (ResearchDownloads), which calls `downloadInto`.
 */
import type { Interval } from '../../../core/intervals.ts';
import type { Universe } from '../catalogue.ts';

export { downloadInto, type DownloadRequest, type Progress, type SeriesOutcome } from './run.ts';
export { yahooProvider } from './yahoo.ts';
export { ccxtProvider } from './ccxt.ts';
export type { Provider } from './provider.ts';

/** The symbols of `symbols` that `u` cannot load at `interval` (neither native nor by resampling). */
export function lacking(u: Universe, symbols: readonly string[], interval: Interval): string[] {
  return symbols.filter((s) => !u.has(s) || !u.info(s).intervals.includes(interval));
}
