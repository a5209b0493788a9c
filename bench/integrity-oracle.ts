/**
 * The oracle t of a market × spec: what a full-knowledge test reaches on the same data. The spec (at
 * its suite starting values, never tuned) runs on EVERY symbol of the scope over the WHOLE series
 * (segment `full`: the sealed holdout included), and its trades are judged as the edge gate judges
 * them, with everything known: excess returns e_i = r_i − s_i·μ_j·h_i (src/core/stats/excess.ts),
 * μ_j the mean per-bar simple return of symbol j over its whole series (the research loop only knows
 * the visible 80 %), and the CR1 clustered t by calendar period of entry (month at 1d and 4h, day
 * below; src/core/stats/clustered.ts), all trades of all symbols pooled.
 *
 * It labels an edge's strength by what the data can show, not by a generator knob: a session whose
 * oracle t is below 2 could not be found even by a researcher who saw everything, and one at 5 or
 * more should be. The Director sees 80 % of the bars and must buy them, so the oracle is an upper bound
 * on the evidence a session can reach, not a target.
 */
import type { Interval } from '../src/core/intervals.ts';
import type { Spec } from '../src/core/spec/schema.ts';
import { clusterIds, clusteredMean } from '../src/core/stats/clustered.ts';
import { excessReturns } from '../src/core/stats/excess.ts';
import type { Universe } from '../src/engine/data/universe.ts';
import { createEngine } from '../src/engine/research/engine-adapter.ts';
import { meanBarReturn } from '../src/engine/research/series-run.ts';

export interface OracleTrades {
  ret: Float64Array;
  side: Int8Array;
  bars: Int32Array;
  entryTime: Float64Array;
  /** μ_j of each trade's symbol. */
  drift: Float64Array;
}

export interface Oracle {
  /** CR1 clustered t of the mean excess trade return; null without trades or with fewer than 2 clusters. */
  t: number | null;
  mean: number | null;
  trades: number;
  clusters: number;
  symbols: number;
}

/** Pooled trades → the clustered t of their excess returns (pure). */
export function oracleOf(trades: OracleTrades, interval: Interval, symbols: number): Oracle {
  const e = excessReturns(trades.ret, trades.side, trades.bars, trades.drift);
  const { ids, G } = clusterIds(trades.entryTime, interval);
  const m = clusteredMean(e, ids);
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { t: finite(m.t), mean: finite(m.mean), trades: m.n, clusters: G, symbols };
}

/** Runs `spec` on the full series of every one of `symbols` at `interval` and pools the trades. */
export function oracleT(spec: Spec, universe: Universe, symbols: readonly string[], interval: Interval): Oracle {
  const engine = createEngine(universe);
  const cols: Array<{ ret: Float64Array; side: Int8Array; bars: Int32Array; entryTime: Float64Array; drift: number }> = [];
  for (const symbol of symbols) {
    const run = engine.backtest(spec, { symbol, interval }, 'full');
    const close = universe.loadBars(symbol, interval, { repair: true }).bars.close;
    const tr = run.trades;
    cols.push({ ret: tr.ret, side: tr.side, bars: tr.bars, entryTime: tr.entryTime, drift: meanBarReturn(close, close.length) });
  }
  const n = cols.reduce((a, c) => a + c.ret.length, 0);
  const out: OracleTrades = { ret: new Float64Array(n), side: new Int8Array(n), bars: new Int32Array(n), entryTime: new Float64Array(n), drift: new Float64Array(n) };
  let at = 0;
  for (const c of cols) {
    out.ret.set(c.ret, at);
    out.side.set(c.side, at);
    out.bars.set(c.bars, at);
    out.entryTime.set(c.entryTime, at);
    out.drift.fill(c.drift, at, at + c.ret.length);
    at += c.ret.length;
  }
  return oracleOf(out, interval, symbols.length);
}

/** The band an oracle t falls in (a missing t counts as below 2). */
export const BANDS = ['<2', '2-3', '3-4', '4-5', '>=5'] as const;
export type Band = (typeof BANDS)[number];

export function bandOf(t: number | null): Band {
  if (t === null || t < 2) return '<2';
  if (t < 3) return '2-3';
  if (t < 4) return '3-4';
  if (t < 5) return '4-5';
  return '>=5';
}
