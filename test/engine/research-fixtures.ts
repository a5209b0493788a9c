/** Shared fixtures of the research and optimiser tests: small directory universes written to temp dirs, and a test spec. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../src/core/spec/schema.ts';
import { allocBars, type Bars } from '../../src/engine/data/bars.ts';
import { formatCsv, generateMarket } from '../../src/engine/data/synth.ts';
import { loadUniverseDir, type Universe } from '../../src/engine/data/universe.ts';

export const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function tempRoot(prefix = 'gauntlet-research-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Daily bars of a seeded synthetic market (no edge), one Bars per symbol; sectors SEC1, SEC2 … */
export function synthBars(seed: number, symbols: number, days: number): { bars: Bars[]; sectors: string[] } {
  const m = generateMarket({ seed, symbols, sectors: Math.min(2, symbols), interval: '1d', days, edge: { kind: 'none' } });
  return { bars: m.bars, sectors: m.bars.map((b) => m.universe.symbols[b.symbol]!.sector) };
}

/** Writes `bars` as a directory universe (one CSV per symbol, declared 1d) and opens it without a cache. */
export function writeUniverse(dir: string, bars: readonly Bars[], sectors: readonly string[]): Universe {
  mkdirSync(dir, { recursive: true });
  const symbols: Record<string, unknown> = {};
  bars.forEach((b, k) => {
    writeFileSync(join(dir, `${b.symbol}.csv`), formatCsv(b));
    symbols[b.symbol] = { sector: sectors[k], files: { '1d': `${b.symbol}.csv` } };
  });
  writeFileSync(join(dir, 'universe.json'), JSON.stringify({ schema: 'gauntlet/universe@1', symbols }));
  return loadUniverseDir(dir, { cacheDir: null });
}

/** A copy of `b` (fresh columns). */
export function copyBars(b: Bars): Bars {
  const out = allocBars(b.symbol, b.interval, b.time.length);
  for (const c of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) out[c].set(b[c]);
  return out;
}

/** `b` with every bar from `from` on moved: prices × factor (OHLC stay consistent). */
export function scaleFrom(b: Bars, from: number, factor: number): Bars {
  const out = copyBars(b);
  for (let i = from; i < out.time.length; i++) {
    for (const c of ['open', 'high', 'low', 'close'] as const) out[c][i] = out[c][i]! * factor;
  }
  return out;
}

/** `b` without the bars at the given indices. */
export function dropBars(b: Bars, drop: (i: number) => boolean): Bars {
  const keep: number[] = [];
  for (let i = 0; i < b.time.length; i++) if (!drop(i)) keep.push(i);
  const out = allocBars(b.symbol, b.interval, keep.length);
  for (const c of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) keep.forEach((i, j) => { out[c][j] = b[c][i]!; });
  return out;
}

/** Bars as the CSV round trip gives them back (prices have 6 decimals in the file). */
export function loadedBars(u: Universe, symbol: string): Bars {
  return u.loadBars(symbol, '1d', { repair: true }).bars;
}


/** A 2-SMA reversal with a long-only floor filter: `floor` is fixed (min = max), so searches never move it. */
export const TEST_SPEC: Spec = {
  schema: 'gauntlet/spec@1',
  name: 'test-sma-cross',
  idea: 'fast SMA crosses slow SMA: reverse',
  meta: { style: 'trend_following', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: {
    slow: { value: 20, min: 10, max: 30, step: 10 },
    fast: { value: 4, min: 2, max: 10, step: 2 },
    floor: { value: 0, min: 0, max: 0, step: 1 },
  },
  indicators: {
    f: { fn: 'sma', source: 'close', period: '$fast' },
    s: { fn: 'sma', source: 'close', period: '$slow' },
  },
  rules: {
    long_entry: { all: [['f', 'crosses_above', 's'], ['close', '>', '$floor']] },
    long_exit: null,
    short_entry: ['f', 'crosses_below', 's'],
    short_exit: null,
  },
  risk: { stop_loss_pct: 8, take_profit_pct: null },
  execution: { fees_bps: 2, slippage_bps: 1 },
};

/** The spec with some values set — written here, not through the optimiser's withParams. */
export function specAt(spec: Spec, values: Record<string, number>): Spec {
  const params: Spec['params'] = {};
  for (const [k, p] of Object.entries(spec.params)) params[k] = { ...p, value: values[k] ?? p.value };
  return { ...spec, params };
}
