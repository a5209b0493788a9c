/**
 * The engine behind the research loop's EnginePort (src/core/research/ports.ts): data through a
 * Universe, compile, backtests on the segments of DESIGN §6's sealed holdout, the causality probe,
 * regime labels, optimisation and walk-forward (src/engine/optimize).
 *
 * Segments (segments.ts): one cut date per market type and interval, at 80 % of the market's common
 * calendar; a series' first v bars are the ones before it.
 * - visible: bars [0, v), signals computed on those bars only — no holdout bar is ever read.
 * - holdout: signals computed on the full series (causal, so identical to what a live run would have
 *   computed; the visible bars serve as indicator warm-up), execution on [v, N) only: equity starts
 *   at 1 at the first holdout bar, flat.
 * - full: all N bars.
 * Optimisation, walk-forward, the causality probe and realised volatility see visible bars only:
 * the adapter slices them before anything else gets them.
 *
 * Workers: an explicit `workers` count is obeyed (0 = inline). Left unset, trials run inline for up to
 * a second and only the rest go to `os.availableParallelism()` threads (TrialRunner), and only when a
 * second core is free: a thread costs its start-up (the TypeScript loader too, from sources), more
 * than a typical daily-bar search takes.
 */
import type {
  CausalityReport, CompileReport, DownloadOutcome, DownloadRequest, EnginePort, OptimizationResult, OptimizeOptions, UniverseView,
  WalkForwardOptions, WalkForwardResult,
} from '../../core/research/ports.ts';
import type { UniverseSymbol } from '../../core/universe.ts';
import { UserError } from '../../core/errors.ts';
import { seriesKeyText, type RegimeLabels, type Segment, type SeriesKey, type SeriesRun } from '../../core/research/run.ts';
import type { Spec } from '../../core/spec/schema.ts';
import { sliceBars, type Bars } from '../data/bars.ts';
import type { Universe } from '../data/universe.ts';
import type { ResearchDownloads } from '../data/download/research.ts';
import type { Interval } from '../../core/intervals.ts';
import { compile } from '../compiler/compile.ts';
import { grossMetrics } from '../backtest/gross.ts';
import { probeCausality } from '../compiler/causality.ts';
import { createRandom } from '../../core/random.ts';
import { optimize } from '../optimize/optimize.ts';
import { walkForward } from '../optimize/walk-forward.ts';
import { realizedVolatility } from './realized-vol.ts';
import { regimeLabels } from './regimes.ts';
import { barsBefore, commonCut, segmentRange } from './segments.ts';
import { MarketReturns } from './market.ts';
import { meanBarReturn, toSeriesRun } from './series-run.ts';
import { SeriesStore } from './series-store.ts';
import { runWindowWithMetrics } from './window-run.ts';

export interface EngineOptions {
  /** Load with repair (drop bad rows, each reported in dataNotes()). Default true for research. */
  repair?: boolean;
  /**
   * Downloads for the session ("Download data (if req)"): the universe is theirs from then on (it grows when
   * a download lands), and the view offers downloads when the universe can make them.
   */
  downloads?: ResearchDownloads;
}

export interface ResearchEngine extends EnginePort {
  /** Rows the loader repaired (or warned about) so far, one line each, for the loop's log. */
  dataNotes(): string[];
}

export function createEngine(opened: Universe, opts: EngineOptions = {}): ResearchEngine {
  const downloads = opts.downloads;
  // The universe now: the one opened, or the downloads' (which a landed download replaces).
  const current = (): Universe => downloads?.universe() ?? opened;
  const store = new SeriesStore(current, opts.repair ?? true);

  // Every symbol of a market type loadable at the interval: the scope the hedge is averaged over and
  // the calendar the holdout's cut date is taken from.
  const marketBars = (type: string, interval: SeriesKey['interval']): Bars[] => current().symbols()
    .filter((s) => { const i = current().info(s); return i.market_type === type && i.intervals.includes(interval); })
    .map((s) => store.get({ symbol: s, interval }).bars);
  const cuts = new Map<string, number>();
  const visibleCount = (key: SeriesKey): number => {
    const type = current().info(key.symbol).market_type;
    const id = `${type}@${key.interval}`;
    let cut = cuts.get(id);
    if (cut === undefined) {
      cut = commonCut(marketBars(type, key.interval).map((b) => b.time));
      cuts.set(id, cut);
    }
    return barsBefore(store.get(key).bars.time, cut);
  };
  const rangeOf = (key: SeriesKey, segment: Segment): { from: number; to: number } =>
    segmentRange(store.get(key).bars.time.length, visibleCount(key), segment, seriesKeyText(key));

  const visibleBars = (key: SeriesKey): Bars => sliceBars(store.get(key).bars, 0, rangeOf(key, 'visible').to);

  const market = new MarketReturns();
  const marketFor = (symbol: string, interval: SeriesKey['interval'], time: Float64Array): Float64Array => {
    const type = current().info(symbol).market_type;
    return market.aligned(interval, type, time, () => marketBars(type, interval));
  };

  const distinctKeys = (keys: readonly SeriesKey[], what: string): SeriesKey[] => {
    const seen = new Set<string>();
    for (const k of keys) {
      const id = seriesKeyText(k);
      if (seen.has(id)) throw new UserError(`${what}: ${id} is listed twice; each series counts once in the pooled portfolio`);
      seen.add(id);
    }
    return [...keys];
  };

  const view: UniverseView = {
    symbols: (): UniverseSymbol[] => current().symbols().map((symbol) => {
      const info = current().info(symbol);
      return { symbol, sector: info.sector, market_type: info.market_type, intervals: [...info.intervals] };
    }),
    realizedVol: (key: SeriesKey): number => {
      if (visibleCount(key) < 2) return NaN;
      const b = visibleBars(key);
      return realizedVolatility(b.time, b.close);
    },
    visibleBars: (key: SeriesKey): number => visibleCount(key),
    sealedBars: (key: SeriesKey): number => store.get(key).bars.time.length - visibleCount(key),
    ...(downloads?.downloads() === true ? { downloadOffer: (symbols: readonly string[], interval: Interval) => downloads.offer(symbols, interval) } : {}),
  };

  return {
    universe: () => view,

    compile(spec: Spec): CompileReport {
      const c = compile(spec);
      return { complexity: { ...c.complexity }, warmup: c.warmup, unusedParams: [...c.unusedParams] };
    },

    backtest(spec: Spec, key: SeriesKey, segment: Segment): SeriesRun {
      const compiled = compile(spec);
      const { bars, sector } = store.get(key);
      const { from, to } = rangeOf(key, segment);
      const run = runWindowWithMetrics(compiled, bars, from, to);
      // Gross beside net: the window's own signals executed again at 0 costs.
      const free = spec.execution.fees_bps === 0 && spec.execution.slippage_bps === 0;
      const gross = free ? run.metrics : grossMetrics(run.bars, run.signals, compiled.execution);
      const drift = meanBarReturn(bars.close, visibleCount(key));
      return toSeriesRun(key, sector, segment, run.bars, run.result, run.metrics, { drift, market: marketFor(key.symbol, key.interval, run.bars.time) }, gross);
    },

    causality(spec: Spec, key: SeriesKey, cuts: number, seed: number): CausalityReport {
      const rng = createRandom(seed).fork('causality');
      const probe = probeCausality(compile(spec), visibleBars(key), cuts, () => rng.next());
      return { ok: probe.ok, cuts: probe.cuts, mismatch: probe.mismatch === null ? null : { cut: probe.mismatch.cut, bar: probe.mismatch.bar } };
    },

    regimes(key: SeriesKey, segment: Segment): RegimeLabels {
      const { bars } = store.get(key);
      const { from, to } = rangeOf(key, segment);
      // Labels are causal and the tercile cuts come from visible bars only, so computing them over
      // the whole series and slicing gives visible labels that never saw a holdout bar.
      const labels = regimeLabels(bars.close, visibleCount(key));
      return { volatility: labels.volatility.slice(from, to), trend: labels.trend.slice(from, to) };
    },

    async optimize(spec: Spec, keys: SeriesKey[], o: OptimizeOptions): Promise<OptimizationResult> {
      const series = distinctKeys(keys, `optimize ${spec.name}`).map(visibleBars);
      return await optimize(spec, series, o);
    },

    async walkForward(spec: Spec, keys: SeriesKey[], o: WalkForwardOptions): Promise<WalkForwardResult> {
      const series = distinctKeys(keys, `walk-forward ${spec.name}`).map((key) => ({ key, sector: store.get(key).sector, bars: visibleBars(key) }));
      return await walkForward(spec, series, o);
    },

    ...(downloads?.downloads() === true ? { download: (req: DownloadRequest): Promise<DownloadOutcome> => downloads.download(req) } : {}),

    dataNotes: () => store.notes(),
  };
}
