/**
 * Universes: the catalogue class and how each kind is built, re-exported from one place so callers
 * keep a single import. Each job has its own file:
 * - catalogue.ts   the `Universe` class: symbols, sectors, intervals, `loadBars`
 * - bundled.ts     the bundled universe from data/
 * - directory.ts   a directory with a universe.json (and interval inference)
 * - suggestions.ts did-you-mean for mistyped symbols
 */
export {
  Universe, availableIntervals, displayPath, parseBound,
  type DataFile, type LoadBarsOptions, type LoadedBars, type NativeSource, type SymbolInfo, type UniverseOptions,
} from './catalogue.ts';
export { BUNDLED, bundledDataDir, loadBundledUniverse, readSectorMap } from './bundled.ts';
export { inferInterval, loadUniverseDir } from './directory.ts';
export { suggest } from './suggestions.ts';
