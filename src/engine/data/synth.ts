/**
 * Seeded synthetic markets (DESIGN §8): sectors, volatility regimes, intraday sessions and an
 * optional planted edge, so tests can check that the gates kill noise and keep a real edge.
 * The model is documented in synth-model.ts, the time grid in synth-calendar.ts, the files in
 * synth-write.ts. Same options → same numbers → same bytes.
 */
import { UserError } from '../../core/errors.ts';
import { LADDER, type Interval } from '../../core/intervals.ts';
import type { Edge, UniverseFile } from '../../core/universe.ts';
import { allocBars, type Bars } from './bars.ts';
import { createRandom } from '../../core/random.ts';
import { buildCalendar, parseDate, barsPerDay, SESSION_MINUTES } from './synth-calendar.ts';
import {
  drawSymbolParams, edgeModel, edgeParamsRecord, intradayProfile, simulateFactor, simulateRegimes, simulateSymbol,
  MARKET_VOL, SECTOR_VOL, type FactorPath,
} from './synth-model.ts';

export { writeMarket, encodeCsv, formatCsv, inspectOutDir } from './synth-write.ts';

/** Bumped whenever the same options would produce different bytes. */
export const GENERATOR_VERSION = 1;
export const GENERATOR_NAME = 'gauntlet-synth';
export const DEFAULT_START = '2020-01-02';
/** Upper bound on symbols × bars, to keep memory (6 float64 columns per bar) under ~0.5 GB. */
export const MAX_TOTAL_BARS = 10_000_000;
export const MAX_SYMBOLS = 1000;
export const MAX_SECTORS = 99;

export type EdgeRequest =
  | { kind: 'none' }
  | { kind: 'mean_reversion' | 'trend'; sector: string; strength: number };

export interface SynthOptions {
  seed: number;
  symbols: number;
  sectors: number;
  interval: Interval;
  /** Trading days (weekdays; there are no holidays). */
  days: number;
  edge: EdgeRequest;
  /** First day, `YYYY-MM-DD` (rolled forward to a weekday). Default 2020-01-02. */
  start?: string;
  /**
   * Named sectors of given sizes, in order (e.g. GICS names in realistic proportions), instead of
   * `sectors` equal ones named SEC1 …: the sizes must sum to `symbols` and there must be `sectors` of
   * them. Absent: the equal layout, and the same bytes as before this option existed.
   */
  sectorSizes?: ReadonlyArray<{ name: string; symbols: number }>;
  /** Range of each symbol's drift μ_i (log, per year). Absent: ANNUAL_DRIFT_RANGE ([0, 0.1]). */
  annualDrift?: readonly [number, number];
}

export interface SynthMarket {
  universe: UniverseFile;
  /** One series per symbol, in the universe's symbol order. */
  bars: Bars[];
  /** The market-wide volatility regime of each trading day: 0 calm, 1 normal, 2 stressed. */
  regimes: Uint8Array;
  options: Required<Omit<SynthOptions, 'sectorSizes' | 'annualDrift'>> & Pick<SynthOptions, 'sectorSizes' | 'annualDrift'>;
}

export function sectorName(k: number): string {
  return `SEC${k + 1}`;
}

/** The market's sector names in order: `sectorSizes`' names, else SEC1 … SECk. */
export function sectorNames(opts: Pick<SynthOptions, 'sectors' | 'sectorSizes'>): string[] {
  return opts.sectorSizes !== undefined ? opts.sectorSizes.map((x) => x.name) : Array.from({ length: opts.sectors }, (_, k) => sectorName(k));
}

/** Bijective base-26 letters: 0 → A, 25 → Z, 26 → AA. */
function letters(n: number): string {
  let s = '';
  let x = n + 1;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

/**
 * Symbols `S<sector><member>`: S01A, S01B … in SEC1, S02A … in SEC2. Sectors get ⌊N/K⌋ symbols,
 * the first N mod K one more.
 */
export function symbolLayout(symbols: number, sectors: number, sizes?: readonly number[]): { symbol: string; sector: number }[] {
  const width = Math.max(2, String(sectors).length);
  const out: { symbol: string; sector: number }[] = [];
  const base = Math.floor(symbols / sectors);
  const extra = symbols % sectors;
  for (let k = 0; k < sectors; k++) {
    const size = sizes?.[k] ?? base + (k < extra ? 1 : 0);
    for (let m = 0; m < size; m++) out.push({ symbol: `S${String(k + 1).padStart(width, '0')}${letters(m)}`, sector: k });
  }
  return out;
}

/** Checks the options; the messages name the option (the CLI checks its flags before calling this). */
export function validateSynthOptions(opts: SynthOptions): void {
  const fail = (msg: string): never => { throw new UserError(`synthetic market: ${msg}`); };
  const int = (name: string, v: number, lo: number, hi: number): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) fail(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  int('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER);
  int('symbols', opts.symbols, 1, MAX_SYMBOLS);
  int('sectors', opts.sectors, 1, MAX_SECTORS);
  if (opts.sectors > opts.symbols) fail(`sectors (${opts.sectors}) must not exceed symbols (${opts.symbols})`);
  if (!(LADDER as readonly string[]).includes(opts.interval)) fail(`interval must be one of ${LADDER.join(', ')}, got "${opts.interval}"`);
  int('days', opts.days, 1, 100_000);
  const total = opts.symbols * opts.days * barsPerDay(opts.interval);
  if (total > MAX_TOTAL_BARS) fail(`symbols × days × bars per day = ${total} bars, more than the ${MAX_TOTAL_BARS} limit`);
  if (opts.start !== undefined && parseDate(opts.start) === null) fail(`start must be a date YYYY-MM-DD, got "${opts.start}"`);
  const sizes = opts.sectorSizes;
  if (sizes !== undefined) {
    if (sizes.length !== opts.sectors) fail(`sectorSizes lists ${sizes.length} sectors but sectors is ${opts.sectors}`);
    sizes.forEach((x, k) => { if (x.name.trim() === '') fail(`sectorSizes[${k}].name must not be empty`); int(`sectorSizes[${k}].symbols`, x.symbols, 1, MAX_SYMBOLS); });
    if (new Set(sizes.map((x) => x.name)).size !== sizes.length) fail('sectorSizes names must be distinct');
    const total = sizes.reduce((a, x) => a + x.symbols, 0);
    if (total !== opts.symbols) fail(`sectorSizes add up to ${total} symbols but symbols is ${opts.symbols}`);
  }
  const drift = opts.annualDrift;
  if (drift !== undefined && !(drift.length === 2 && Number.isFinite(drift[0]) && Number.isFinite(drift[1]) && drift[0] <= drift[1] && Math.abs(drift[0]) <= 2 && Math.abs(drift[1]) <= 2)) {
    fail(`annualDrift must be [lo, hi] with lo ≤ hi, both within ±2 (log per year), got ${JSON.stringify(drift)}`);
  }
  const e = opts.edge;
  if (e.kind !== 'none') {
    if (e.kind !== 'mean_reversion' && e.kind !== 'trend') fail(`edge kind must be none, mean_reversion or trend, got "${String((e as { kind: unknown }).kind)}"`);
    const names = sectorNames(opts);
    if (!names.includes(e.sector)) fail(`edge sector "${e.sector}" is not one of ${names.join(', ')}`);
    if (!Number.isFinite(e.strength) || e.strength < 0 || e.strength > 1) fail(`edge strength must be in [0, 1], got ${e.strength}`);
  }
}

/** Generates the market in memory. Throws UserError on invalid options. */
export function generateMarket(opts: SynthOptions): SynthMarket {
  validateSynthOptions(opts);
  const start = opts.start ?? DEFAULT_START;
  const options: SynthMarket['options'] = { ...opts, start };
  const names = sectorNames(opts);
  const cal = buildCalendar(opts.interval, opts.days, parseDate(start)!);
  const profile = intradayProfile(cal);
  const root = createRandom(opts.seed).fork(GENERATOR_NAME).fork(GENERATOR_VERSION);
  const regimes = simulateRegimes(opts.days, root.fork('regimes'));
  const market = simulateFactor(MARKET_VOL, cal, regimes, profile, root.fork('market'));
  const sectors: FactorPath[] = [];
  for (let k = 0; k < opts.sectors; k++) sectors.push(simulateFactor(SECTOR_VOL, cal, regimes, profile, root.fork(`sector:${names[k]!}`)));

  const edgeReq = opts.edge;
  const noEdge = edgeModel('none', 0);
  const planted = edgeReq.kind === 'none' ? noEdge : edgeModel(edgeReq.kind, edgeReq.strength);
  const layout = symbolLayout(opts.symbols, opts.sectors, opts.sectorSizes?.map((x) => x.symbols));
  const n = cal.time.length;
  const bars: Bars[] = [];
  const symbols: UniverseFile['symbols'] = {};
  for (const { symbol, sector } of layout) {
    const rng = root.fork(`symbol:${symbol}`);
    const params = drawSymbolParams(rng.fork('params'), opts.annualDrift);
    const out = allocBars(symbol, opts.interval, n);
    const inEdge = edgeReq.kind !== 'none' && edgeReq.sector === names[sector];
    simulateSymbol(out, params, cal, regimes, profile, market, sectors[sector]!, inEdge ? planted : noEdge, {
      idio: rng.fork('idio'), edge: rng.fork('edge'), range: rng.fork('range'), volume: rng.fork('volume'),
    });
    bars.push(out);
    symbols[symbol] = { sector: names[sector]!, market_type: 'equities', files: { [opts.interval]: `${symbol}.csv` }, label: 'start' };
  }

  const edge: Edge = edgeReq.kind === 'none'
    ? { kind: 'none' }
    : { kind: edgeReq.kind, sector: edgeReq.sector, strength: edgeReq.strength, params: edgeParamsRecord(edgeReq.kind, edgeReq.strength) };
  const universe: UniverseFile = {
    schema: 'gauntlet/universe@1',
    name: `synthetic seed ${opts.seed} ${opts.interval}`,
    symbols,
    edge,
    synthetic: {
      generator: GENERATOR_NAME,
      version: GENERATOR_VERSION,
      seed: opts.seed,
      symbols: opts.symbols,
      sectors: opts.sectors,
      interval: opts.interval,
      days: opts.days,
      start,
      bars_per_day: cal.barsPerDay,
      session_utc: opts.interval === '1d' ? 'daily' : `13:30-20:00 (${SESSION_MINUTES} min)`,
      // Recorded only when set, so a market without them keeps its bytes.
      ...(opts.sectorSizes === undefined ? {} : { sector_sizes: opts.sectorSizes.map((x) => `${x.name}:${x.symbols}`).join(',') }),
      ...(opts.annualDrift === undefined ? {} : { annual_drift: `${opts.annualDrift[0]}..${opts.annualDrift[1]}` }),
    },
  };
  return { universe, bars, regimes, options };
}
