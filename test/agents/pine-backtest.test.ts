/**
 * The twelve translatable Pine fixtures, end to end on the bundled data: translate → compile →
 * backtest, then checked against arithmetic written here, independently of the engine:
 *
 * 1. every signal bit equals the rule recomputed with the inline indicator formulas below
 *    (SMA, EMA seeded by an SMA, Wilder's RSI/ATR/ADX, population-σ Bollinger bands, …);
 * 2. every trade equals the one the reference backtester (test/reference, written without the
 *    engine) produces from those inline signals and the costs read off the Pine script;
 * 3. two or three trades per fixture are spelled out by hand — dates, fill prices, exit reason —
 *    with the indicator values at the signal bar stated in the comments and re-asserted.
 *
 * Conventions checked throughout: a rule fires at the close of bar s, the order fills at the
 * OPEN of bar s + 1 (no slippage in any fixture); stops and targets fill at their level, or at
 * the open when the bar gaps through it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/agents/translate/index.ts';
import type { Interval } from '../../src/core/intervals.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import type { ExecutionOptions, ExitReason, Side, Trade } from '../../src/engine/backtest/types.ts';
import { compile, type CompiledSpec } from '../../src/engine/compiler/compile.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse, type Universe } from '../../src/engine/data/universe.ts';
import { diffTrades, HAND_TOL } from '../reference/compare.ts';
import { barsToRows, signalsToBits, type SignalRow } from '../reference/data.ts';
import { referenceBacktest } from '../reference/simple-backtest.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'pine');

// ---- independent indicator arithmetic (plain arrays, NaN while undefined; formulas from DESIGN §3 / docs) ----
const NA = Number.NaN;
type Col = ArrayLike<number>;
const isNum = (x: number | undefined): x is number => x !== undefined && !Number.isNaN(x);

function refSma(x: Col, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < x.length; t++) {
    if (t < n - 1) { out.push(NA); continue; }
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += x[j]!;
    out.push(s / n);
  }
  return out;
}

/** Exponential smoothing with factor a, seeded by the mean of the first n defined values. */
function refSmooth(x: Col, n: number, a: number): number[] {
  const out: number[] = [];
  let start = -1;
  let prev = NA;
  for (let t = 0; t < x.length; t++) {
    if (!isNum(x[t])) { out.push(NA); continue; }
    if (start < 0) start = t;
    if (t - start < n - 1) { out.push(NA); continue; }
    if (t - start === n - 1) {
      let s = 0;
      for (let j = start; j <= t; j++) s += x[j]!;
      prev = s / n;
    } else prev = a * x[t]! + (1 - a) * prev;
    out.push(prev);
  }
  return out;
}
const refEma = (x: Col, n: number): number[] => refSmooth(x, n, 2 / (n + 1));
const refRma = (x: Col, n: number): number[] => refSmooth(x, n, 1 / n);

/** Wilder's RSI: plain means of the first n gains/losses, then avg ← (avg·(n−1) + x)/n. */
function refRsi(x: Col, n: number): number[] {
  const out: number[] = [NA];
  let g = 0;
  let l = 0;
  for (let t = 1; t < x.length; t++) {
    const d = x[t]! - x[t - 1]!;
    const gain = Math.max(d, 0);
    const loss = Math.max(-d, 0);
    if (t <= n) {
      g += gain / n;
      l += loss / n;
      if (t < n) { out.push(NA); continue; }
    } else {
      g = (g * (n - 1) + gain) / n;
      l = (l * (n - 1) + loss) / n;
    }
    out.push(l === 0 ? 100 : 100 - 100 / (1 + g / l));
  }
  return out;
}

function refBands(x: Col, n: number, k: number): { upper: number[]; middle: number[]; lower: number[] } {
  const middle = refSma(x, n);
  const sd = middle.map((m, t) => {
    if (Number.isNaN(m)) return NA;
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += (x[j]! - m) ** 2;
    return Math.sqrt(s / n);
  });
  return { upper: middle.map((m, t) => m + k * sd[t]!), middle, lower: middle.map((m, t) => m - k * sd[t]!) };
}

function refWindow(x: Col, n: number, pick: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  for (let t = 0; t < x.length; t++) {
    if (t < n - 1) { out.push(NA); continue; }
    let m = x[t]!;
    for (let j = t - n + 1; j < t; j++) m = pick(m, x[j]!);
    out.push(m);
  }
  return out;
}
const refHighest = (x: Col, n: number): number[] => refWindow(x, n, Math.max);
const refLowest = (x: Col, n: number): number[] => refWindow(x, n, Math.min);

function refTrueRange(h: Col, l: Col, c: Col): number[] {
  const out: number[] = [NA];
  for (let t = 1; t < c.length; t++) out.push(Math.max(h[t]! - l[t]!, Math.abs(h[t]! - c[t - 1]!), Math.abs(l[t]! - c[t - 1]!)));
  return out;
}
const refAtr = (h: Col, l: Col, c: Col, n: number): number[] => refRma(refTrueRange(h, l, c), n);

function refAdx(h: Col, l: Col, c: Col, n: number): { adx: number[]; pdi: number[]; mdi: number[] } {
  const pdi: number[] = [NA];
  const mdi: number[] = [NA];
  const dx: number[] = [NA];
  let tr = 0;
  let p = 0;
  let m = 0;
  for (let t = 1; t < c.length; t++) {
    const up = h[t]! - h[t - 1]!;
    const down = l[t - 1]! - l[t]!;
    const range = Math.max(h[t]! - l[t]!, Math.abs(h[t]! - c[t - 1]!), Math.abs(l[t]! - c[t - 1]!));
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    if (t <= n) {
      tr += range; p += plusDm; m += minusDm;
      if (t < n) { pdi.push(NA); mdi.push(NA); dx.push(NA); continue; }
    } else {
      tr = tr - tr / n + range; p = p - p / n + plusDm; m = m - m / n + minusDm;
    }
    const P = (100 * p) / tr;
    const M = (100 * m) / tr;
    pdi.push(P); mdi.push(M); dx.push((100 * Math.abs(P - M)) / (P + M));
  }
  return { adx: refRma(dx, n), pdi, mdi };
}

function refCci(h: Col, l: Col, c: Col, n: number): number[] {
  const tp = Array.from(c, (x, t) => (h[t]! + l[t]! + x) / 3);
  return refSma(tp, n).map((m, t) => {
    if (Number.isNaN(m)) return NA;
    let dev = 0;
    for (let j = t - n + 1; j <= t; j++) dev += Math.abs(tp[j]! - m);
    return (tp[t]! - m) / (0.015 * (dev / n));
  });
}

function refRoc(x: Col, n: number): number[] {
  return Array.from(x, (v, t) => (t >= n ? (100 * (v - x[t - n]!)) / x[t - n]! : NA));
}

const at = (s: number[] | number, t: number): number => (typeof s === 'number' ? s : s[t]!);
/** a crosses above b at t ⇔ a[t] > b[t] and a[t−1] ≤ b[t−1] (false while anything is undefined). */
const crossUp = (a: number[], b: number[] | number, t: number): boolean => t > 0 && a[t]! > at(b, t) && a[t - 1]! <= at(b, t - 1);
const crossDown = (a: number[], b: number[] | number, t: number): boolean => t > 0 && a[t]! < at(b, t) && a[t - 1]! >= at(b, t - 1);

type Rule = (t: number) => boolean;
interface Rules { longEntry?: Rule; longExit?: Rule; shortEntry?: Rule; shortExit?: Rule }
const never: Rule = () => false;

// ---- running a fixture ------------------------------------------------------------------------------

let universe: Universe;
beforeAll(() => { universe = loadBundledUniverse(undefined, { cacheDir: null }); });

interface Run {
  spec: Spec;
  compiled: CompiledSpec;
  bars: Bars;
  trades: Trade[];
  position: Int8Array;
  rules: Required<Rules>;
  /** Bar index of an ISO time (exact match). */
  bar(iso: string): number;
}

/**
 * Translates and runs a fixture, then checks it against the inline rules and the reference
 * backtester. `exec` is read off the Pine script by hand (commission_value % → bps; strategy.exit).
 */
function runFixture(file: string, symbol: string, interval: Interval, exec: ExecutionOptions, rulesFor: (b: Bars) => Rules, edit: (text: string) => string = (t) => t): Run {
  const { spec } = translate(edit(readFileSync(join(FIXTURES, file), 'utf8')), { source: file });
  expect({ stopLossPct: spec.risk.stop_loss_pct, takeProfitPct: spec.risk.take_profit_pct, feesBps: spec.execution.fees_bps, slippageBps: spec.execution.slippage_bps }).toEqual(exec);
  const compiled = compile(spec);
  const bars = universe.loadBars(symbol, interval, { repair: false }).bars;
  const { result, signals } = compiled.backtest(bars);
  const r = rulesFor(bars);
  const rules = { longEntry: r.longEntry ?? never, longExit: r.longExit ?? never, shortEntry: r.shortEntry ?? never, shortExit: r.shortExit ?? never };
  const n = bars.time.length;
  const expected: SignalRow[] = Array.from({ length: n }, (_, t) => ({
    longEntry: rules.longEntry(t), longExit: rules.longExit(t), shortEntry: rules.shortEntry(t), shortExit: rules.shortExit(t),
  }));
  // 1. every signal bit, on every bar, from the inline formulas
  const want = signalsToBits(expected);
  const wrong: string[] = [];
  for (let t = 0; t < n && wrong.length < 5; t++) if (want[t] !== signals[t]) wrong.push(`bar ${t} ${new Date(bars.time[t]!).toISOString()}: engine ${signals[t]} ≠ inline ${want[t]}`);
  expect(wrong).toEqual([]);
  // 2. every trade, from the reference backtester fed with the inline signals
  const ref = referenceBacktest(barsToRows(bars), expected, exec);
  expect(diffTrades(result.trades, ref.trades, HAND_TOL)).toEqual([]);
  expect(result.trades.length).toBeGreaterThanOrEqual(2);
  const index = new Map(Array.from(bars.time, (t, i) => [t, i]));
  return {
    spec, compiled, bars, trades: result.trades, position: result.position, rules,
    bar: (iso) => {
      const i = index.get(Date.parse(iso));
      if (i === undefined) throw new Error(`no bar at ${iso}`);
      return i;
    },
  };
}

interface HandTrade { side: Side; entry: string; entryPrice: number; exit: string; exitPrice: number; reason: ExitReason }

/**
 * Asserts one hand-checked trade: it exists with these times, prices and reason; its signal fired
 * at the close of the bar before the entry and it fills at the entry bar's open; a signal exit
 * fires at the bar before the exit (and on no bar in between), filling at the exit bar's open.
 */
function checkTrade(run: Run, h: HandTrade): Trade {
  const e = run.bar(h.entry);
  const x = run.bar(h.exit);
  const trade = run.trades.find((t) => t.entryIndex === e);
  expect(trade, `a trade entered at ${h.entry}`).toBeDefined();
  const tr = trade!;
  expect({ side: tr.side, exitIndex: tr.exitIndex, reason: tr.exitReason }).toEqual({ side: h.side, exitIndex: x, reason: h.reason });
  expect(tr.entryPrice).toBe(h.entryPrice);
  expect(tr.exitPrice).toBeCloseTo(h.exitPrice, 9);
  const { bars, rules } = run;
  expect(tr.entryPrice).toBe(bars.open[e]);
  const entryRule = h.side === 'long' ? rules.longEntry : rules.shortEntry;
  expect(entryRule(e - 1), 'the entry rule fired at the close before the entry bar').toBe(true);
  if (h.reason === 'signal') {
    expect(tr.exitPrice).toBe(bars.open[x]);
    const exitRule: Rule = h.side === 'long' ? (t) => rules.longExit(t) || rules.shortEntry(t) : (t) => rules.shortExit(t) || rules.longEntry(t);
    expect(exitRule(x - 1), 'the exit rule fired at the close before the exit bar').toBe(true);
    for (let t = e; t < x - 1; t++) expect(exitRule(t), `no exit signal at bar ${t}`).toBe(false);
  }
  return tr;
}

/**
 * Per-trade return with fee f and no slippage, from docs/semantics.md: a long ends with equity
 * E·(1 − f) + (E/P)·(X − P) − f·(E/P)·X, so its return is X/P·(1 − f) − f − 1; a short's is
 * 1 − f − X/P·(1 + f).
 */
function tradeReturn(side: Side, p: number, x: number, feesBps: number): number {
  const f = feesBps / 1e4;
  return side === 'long' ? (x / p) * (1 - f) - f - 1 : 1 - f - (x / p) * (1 + f);
}

/**
 * Where a stop/target exits, found bar by bar from the fill bar on (the fill bar included): long
 * stop touched if low ≤ level, target if high ≥ level, the stop first; a gap through the level
 * fills at the open. Also asserts that no exit signal fired before that bar.
 */
function stopOrTarget(run: Run, tr: Trade, stopPct: number | null, targetPct: number | null): { bar: number; reason: ExitReason; price: number } {
  const { bars, rules } = run;
  const p = tr.entryPrice;
  const long = tr.side === 'long';
  const stop = stopPct === null ? null : long ? p * (1 - stopPct / 100) : p * (1 + stopPct / 100);
  const target = targetPct === null ? null : long ? p * (1 + targetPct / 100) : p * (1 - targetPct / 100);
  const exitRule: Rule = long ? (t) => rules.longExit(t) || rules.shortEntry(t) : (t) => rules.shortExit(t) || rules.longEntry(t);
  for (let t = tr.entryIndex; t < bars.time.length; t++) {
    const o = bars.open[t]!;
    if (stop !== null && (long ? bars.low[t]! <= stop : bars.high[t]! >= stop)) return { bar: t, reason: 'stop', price: (long ? o <= stop : o >= stop) ? o : stop };
    if (target !== null && (long ? bars.high[t]! >= target : bars.low[t]! <= target)) return { bar: t, reason: 'target', price: (long ? o >= target : o <= target) ? o : target };
    expect(exitRule(t), `no exit signal at bar ${t} before the stop/target`).toBe(false);
  }
  throw new Error('never stopped');
}

/** True when neither the stop nor the target level is touched from the fill bar up to the bar before the exit. */
function levelsUntouched(run: Run, tr: Trade, stopPct: number | null, targetPct: number | null): boolean {
  const { bars } = run;
  const p = tr.entryPrice;
  const long = tr.side === 'long';
  for (let t = tr.entryIndex; t < tr.exitIndex; t++) {
    if (stopPct !== null && (long ? bars.low[t]! <= p * (1 - stopPct / 100) : bars.high[t]! >= p * (1 + stopPct / 100))) return false;
    if (targetPct !== null && (long ? bars.high[t]! >= p * (1 + targetPct / 100) : bars.low[t]! <= p * (1 - targetPct / 100))) return false;
  }
  return true;
}

const NONE: ExecutionOptions = { stopLossPct: null, takeProfitPct: null, feesBps: 0, slippageBps: 0 };
const D = (date: string): string => `${date}T00:00:00.000Z`;

// ---- the fixtures -------------------------------------------------------------------------------------

describe('Pine fixtures on the bundled data', () => {
  it('01 SMA(10)/SMA(40) cross on AAPL 1d: reverses at every cross, never flat after the first signal', () => {
    let fast: number[] = [];
    let slow: number[] = [];
    const run = runFixture('01-sma-cross-reversal.pine', 'AAPL', '1d', { ...NONE, feesBps: 2 }, (b) => {
      fast = refSma(b.close, 10);
      slow = refSma(b.close, 40);
      return { longEntry: (t) => crossUp(fast, slow, t), shortEntry: (t) => crossDown(fast, slow, t) };
    });
    // 2013-05-06 SMA10 61.50819 ≤ SMA40 61.77685; 2013-05-07 SMA10 62.25859 > SMA40 61.85110: the first cross
    // → long at the open of 2013-05-08, 65.5771.
    // 2013-06-14 62.85861 ≥ 62.57618; 2013-06-17 62.59118 < 62.72429 → reverse to short at the open of 2013-06-18, 61.6514.
    // 2013-07-23 60.92111 ≤ 60.95095; 2013-07-24 61.20368 > 60.94763 → reverse to long at the open of 2013-07-25, 62.9571.
    const s = run.bar(D('2013-05-07'));
    for (const [i, v] of [[s - 1, 61.50819], [s, 62.25859]] as const) expect(fast[i]).toBeCloseTo(v, 4);
    for (const [i, v] of [[s - 1, 61.77685], [s, 61.85110]] as const) expect(slow[i]).toBeCloseTo(v, 4);
    const t0 = checkTrade(run, { side: 'long', entry: D('2013-05-08'), entryPrice: 65.5771, exit: D('2013-06-18'), exitPrice: 61.6514, reason: 'signal' });
    const t1 = checkTrade(run, { side: 'short', entry: D('2013-06-18'), entryPrice: 61.6514, exit: D('2013-07-25'), exitPrice: 62.9571, reason: 'signal' });
    checkTrade(run, { side: 'long', entry: D('2013-07-25'), entryPrice: 62.9571, exit: D('2013-09-19'), exitPrice: 67.2428, reason: 'signal' });
    expect(run.trades[0]).toBe(t0);
    // 2 bps at both fills: 61.6514/65.5771 · 0.9998 − 0.0002 = −6.0252 %; the short: 1 − 0.0002 − 62.9571/61.6514 · 1.0002 = −2.1583 %
    expect(t0.return).toBeCloseTo(tradeReturn('long', 65.5771, 61.6514, 2), 12);
    expect(t0.return).toBeCloseTo(-0.060252, 6);
    expect(t1.return).toBeCloseTo(tradeReturn('short', 61.6514, 62.9571, 2), 12);
    expect(t1.return).toBeCloseTo(-0.021583, 6);
    // Always in the market: every cross bar (but the last bar) opens the next trade at the following open,
    // each exit is the next entry, sides alternate, and no close after the first fill is flat.
    const n = run.bars.time.length;
    const crosses = Array.from({ length: n - 1 }, (_, t) => t).filter((t) => crossUp(fast, slow, t) || crossDown(fast, slow, t));
    expect(run.trades.map((t) => t.entryIndex - 1)).toEqual(crosses);
    run.trades.slice(1).forEach((t, k) => {
      expect(t.entryIndex).toBe(run.trades[k]!.exitIndex);
      expect(t.side).not.toBe(run.trades[k]!.side);
    });
    expect(run.trades.at(-1)!.exitReason).toBe('end');
    const flat = Array.from(run.position.subarray(t0.entryIndex)).filter((p) => p === 0).length;
    expect(flat).toBe(0);
    expect(run.position.subarray(0, t0.entryIndex).every((p) => p === 0)).toBe(true);
  });

  it('02 RSI(14) < 30 / > 70 on AAPL 1d: level entries, one position at a time, long only', () => {
    let rsi: number[] = [];
    const run = runFixture('02-rsi-levels-long.pine', 'AAPL', '1d', NONE, (b) => {
      rsi = refRsi(b.close, 14);
      return { longEntry: (t) => rsi[t]! < 30, longExit: (t) => rsi[t]! > 70 };
    });
    // RSI(14) is first defined on 2013-03-01 (bar 14, after 14 changes): 20.81356 < 30 → long at the open of 2013-03-04, 61.1142.
    // It stays under 30 on 2013-03-04 (18.14339) — no second entry. First close above 70: 2013-08-02 (71.61723)
    // → exit at the open of 2013-08-05, 66.3842.
    const s = run.bar(D('2013-03-01'));
    expect(s).toBe(14);
    expect(rsi[13]).toBeNaN();
    expect(rsi[14]).toBeCloseTo(20.81356, 4);
    expect(rsi[15]).toBeCloseTo(18.14339, 4);
    expect(rsi[run.bar(D('2013-08-02'))]).toBeCloseTo(71.61723, 4);
    checkTrade(run, { side: 'long', entry: D('2013-03-04'), entryPrice: 61.1142, exit: D('2013-08-05'), exitPrice: 66.3842, reason: 'signal' });
    expect(run.rules.longEntry(15)).toBe(true);
    expect(run.trades.filter((t) => t.entryIndex <= run.bar(D('2013-08-05'))).length).toBe(1);
    // The April 2016 earnings gap: 2016-04-26 RSI 40.26347, 2016-04-27 26.57766 → long at the open of 2016-04-28, 97.61;
    // 2016-08-01 RSI 72.93068 → exit at the open of 2016-08-02, 106.05 (+8.647 %).
    expect(rsi[run.bar(D('2016-04-26'))]).toBeCloseTo(40.26347, 4);
    expect(rsi[run.bar(D('2016-04-27'))]).toBeCloseTo(26.57766, 4);
    expect(rsi[run.bar(D('2016-08-01'))]).toBeCloseTo(72.93068, 4);
    const t2 = checkTrade(run, { side: 'long', entry: D('2016-04-28'), entryPrice: 97.61, exit: D('2016-08-02'), exitPrice: 106.05, reason: 'signal' });
    expect(t2.return).toBeCloseTo(106.05 / 97.61 - 1, 12);
    // 2018-02-02 RSI 24.83630 → long at the open of 2018-02-05, 159.1; still open on the last bar, 2018-02-07:
    // closed at its close, 159.54, reason "end".
    const last = checkTrade(run, { side: 'long', entry: D('2018-02-05'), entryPrice: 159.1, exit: D('2018-02-07'), exitPrice: 159.54, reason: 'end' });
    expect(rsi[run.bar(D('2018-02-02'))]).toBeCloseTo(24.8363, 4);
    expect(last.exitIndex).toBe(run.bars.time.length - 1);
    expect(last.exitPrice).toBe(run.bars.close[last.exitIndex]);
    expect(run.trades.every((t) => t.side === 'long')).toBe(true);
  });

  it('03 close crosses above BB(20, 2).lower, exit above the basis, on SPX 1d with 5 bps', () => {
    let bb: ReturnType<typeof refBands> = { upper: [], middle: [], lower: [] };
    const run = runFixture('03-bollinger-reversion.pine', 'SPX', '1d', { ...NONE, feesBps: 5 }, (b) => {
      bb = refBands(b.close, 20, 2);
      const c = Array.from(b.close);
      return { longEntry: (t) => crossUp(c, bb.lower, t), longExit: (t) => c[t]! > bb.middle[t]! };
    });
    // 2000-02-18 close 1346.089966 ≤ lower 1358.50441; 2000-02-22 close 1352.170044 > lower 1350.94876
    // → long at the open of 2000-02-23, 1352.170044. 2000-03-02 close 1381.76001 < basis 1386.00200;
    // 2000-03-03 close 1409.170044 > basis 1385.21200 → exit at the open of 2000-03-06, 1409.170044.
    const s = run.bar(D('2000-02-22'));
    expect(bb.lower[s - 1]).toBeCloseTo(1358.50441, 4);
    expect(bb.lower[s]).toBeCloseTo(1350.94876, 4);
    expect(bb.middle[run.bar(D('2000-03-03'))]).toBeCloseTo(1385.212, 4);
    const t0 = checkTrade(run, { side: 'long', entry: D('2000-02-23'), entryPrice: 1352.170044, exit: D('2000-03-06'), exitPrice: 1409.170044, reason: 'signal' });
    // 5 bps at each fill: 1409.170044/1352.170044 · 0.9995 − 0.0005 = +4.1133 %
    expect(t0.return).toBeCloseTo(tradeReturn('long', 1352.170044, 1409.170044, 5), 12);
    expect(t0.return).toBeCloseTo(0.041133, 6);
    // 2000-04-17 close 1401.439941 ≤ lower 1404.26261; 2000-04-18 close 1441.609985 > lower 1399.35228
    // → long at 2000-04-19's open 1441.609985; 2000-04-25 close 1477.439941 > basis 1469.50799 → out at 2000-04-26's open 1477.439941.
    expect(bb.lower[run.bar(D('2000-04-18'))]).toBeCloseTo(1399.35228, 4);
    expect(bb.middle[run.bar(D('2000-04-25'))]).toBeCloseTo(1469.50799, 4);
    checkTrade(run, { side: 'long', entry: D('2000-04-19'), entryPrice: 1441.609985, exit: D('2000-04-26'), exitPrice: 1477.439941, reason: 'signal' });
  });

  it('04 MACD(12, 26, 9) cross with a 3 % stop and a 6 % target from the entry price, on AAPL 1d', () => {
    let line: number[] = [];
    let signal: number[] = [];
    const exec = { ...NONE, stopLossPct: 3, takeProfitPct: 6 };
    const run = runFixture('04-macd-cross-pct-exit.pine', 'AAPL', '1d', exec, (b) => {
      const slow = refEma(b.close, 26);
      line = refEma(b.close, 12).map((f, t) => f - slow[t]!);
      signal = refEma(line, 9);
      return { longEntry: (t) => crossUp(line, signal, t), longExit: (t) => crossDown(line, signal, t) };
    });
    const check = (h: HandTrade): Trade => {
      const tr = checkTrade(run, h);
      if (h.reason !== 'signal') expect(stopOrTarget(run, tr, 3, 6)).toEqual({ bar: tr.exitIndex, reason: h.reason, price: tr.exitPrice });
      return tr;
    };
    // Target: 2013-04-25 MACD −1.57184 ≤ signal −1.42165; 2013-04-26 −1.38489 > −1.41430 → long at 2013-04-29's open 60.0642.
    // Target 60.0642 · 1.06 = 63.668052: highs 61.9452, 63.6071, 63.5614 stay below; 2013-05-02 high 64.0842 reaches it
    // (open 63.1114, no gap) → exit at 63.668052 exactly, +6 %. The stop 58.262274 is never touched (lowest low 59.9999).
    expect(line[run.bar(D('2013-04-26'))]).toBeCloseTo(-1.38489, 4);
    expect(signal[run.bar(D('2013-04-26'))]).toBeCloseTo(-1.4143, 4);
    const t0 = check({ side: 'long', entry: D('2013-04-29'), entryPrice: 60.0642, exit: D('2013-05-02'), exitPrice: 63.668052, reason: 'target' });
    expect(t0.return).toBeCloseTo(0.06, 12);
    // Stop: 2013-05-30 MACD 0.41594 > signal 0.40404 (2013-05-29: 0.33466 ≤ 0.40107) → long at 2013-05-31's open 64.6428.
    // Stop 64.6428 · 0.97 = 62.703516: lows 64.2142, 63.2114, 63.9128, 63.3871, then 2013-06-06 low 62.0071 with the
    // open 63.6385 above the level → filled at 62.703516, −3 %.
    const t1 = check({ side: 'long', entry: D('2013-05-31'), entryPrice: 64.6428, exit: D('2013-06-06'), exitPrice: 62.703516, reason: 'stop' });
    expect(t1.return).toBeCloseTo(-0.03, 12);
    // Gap through the stop: 2014-01-22 MACD −0.00799 > signal −0.00909 (2014-01-21: −0.06447 ≤ −0.00936) → long at
    // 2014-01-23's open 78.5628; stop 76.205916; 2014-01-28 opens at 72.6799 (post-earnings gap), below the stop
    // → filled at that open: 72.6799/78.5628 − 1 = −7.488 %, worse than −3 %.
    const t5 = check({ side: 'long', entry: D('2014-01-23'), entryPrice: 78.5628, exit: D('2014-01-28'), exitPrice: 72.6799, reason: 'stop' });
    expect(t5.return).toBeCloseTo(-0.0748815, 6);
    // A signal exit inside the band: long 2013-11-29 at 78.4971 (stop 76.142187, target 83.206926, neither touched);
    // 2013-12-13 MACD 1.68436 < signal 1.70410 (2013-12-12: 1.83521 ≥ 1.70903) → exit at 2013-12-16's open 79.2885.
    const t4 = check({ side: 'long', entry: D('2013-11-29'), entryPrice: 78.4971, exit: D('2013-12-16'), exitPrice: 79.2885, reason: 'signal' });
    expect(levelsUntouched(run, t4, 3, 6)).toBe(true);
  });

  it('05 Donchian(20) breakout against the [1]-lagged channel on BTCUSD 1h, long and short', () => {
    let hh: number[] = [];
    let ll: number[] = [];
    const run = runFixture('05-donchian-breakout.pine', 'BTCUSD', '1h', NONE, (b) => {
      hh = refHighest(b.high, 20);
      ll = refLowest(b.low, 20);
      return { longEntry: (t) => t > 0 && b.close[t]! > hh[t - 1]!, shortEntry: (t) => t > 0 && b.close[t]! < ll[t - 1]! };
    });
    expect(run.spec.rules.long_entry).toEqual(['close', '>', 'highest_n[1]']);
    // Why the lag matters: the unlagged channel includes the bar itself, so close > highest(high, 20) can never hold.
    expect(Array.from(run.bars.close).some((c, t) => c > hh[t]! || c < ll[t]!)).toBe(false);
    // 2016-02-11 14:00 close 378.19 < lowest(low, 20) of the 20 bars to 13:00 = 378.51 → short at the 15:00 open, 378.19.
    // 2016-02-12 12:00 close 382.66 > highest(high, 20) to 11:00 = 381.00 → reverse to long at the 13:00 open, 382.66.
    const s = run.bar('2016-02-11T14:00:00.000Z');
    expect(ll[s - 1]).toBe(378.51);
    expect(run.bars.close[s]).toBe(378.19);
    expect(hh[run.bar('2016-02-12T11:00:00.000Z')]).toBe(381);
    const t0 = checkTrade(run, { side: 'short', entry: '2016-02-11T15:00:00.000Z', entryPrice: 378.19, exit: '2016-02-12T13:00:00.000Z', exitPrice: 382.66, reason: 'signal' });
    expect(t0.return).toBeCloseTo(1 - 382.66 / 378.19, 12);
    checkTrade(run, { side: 'long', entry: '2016-02-12T13:00:00.000Z', entryPrice: 382.66, exit: '2016-03-16T15:00:00.000Z', exitPrice: 415.66, reason: 'signal' });
    expect(run.trades[0]).toBe(t0);
  });

  it('06 stochastic %K(14) crossing %D(3) below 20, exit above 80, on AAPL 1d', () => {
    let k: number[] = [];
    let d: number[] = [];
    const run = runFixture('06-stochastic-oversold.pine', 'AAPL', '1d', NONE, (b) => {
      const hh = refHighest(b.high, 14);
      const ll = refLowest(b.low, 14);
      k = Array.from(b.close, (c, t) => (100 * (c - ll[t]!)) / (hh[t]! - ll[t]!));
      d = refSma(k, 3);
      return { longEntry: (t) => crossUp(k, d, t) && k[t]! < 20, longExit: (t) => k[t]! > 80 };
    });
    // 2013-04-02 %K 9.93893 ≤ %D 18.99969; 2013-04-03 %K 12.83634 > %D 10.24538 and %K < 20 → long at 2013-04-04's open 61.9657.
    // First %K above 80: 2013-04-29 (85.12117) → exit at 2013-04-30's open 62.1571.
    const s = run.bar(D('2013-04-03'));
    expect([k[s - 1], d[s - 1], k[s], d[s]].map((v) => Math.round(v! * 1e4) / 1e4)).toEqual([9.9389, 18.9997, 12.8363, 10.2454]);
    checkTrade(run, { side: 'long', entry: D('2013-04-04'), entryPrice: 61.9657, exit: D('2013-04-30'), exitPrice: 62.1571, reason: 'signal' });
    // 2013-09-16 %K 4.77778 ≤ %D 7.52615; 2013-09-17 %K 13.34387 > %D 6.18721 → long at 2013-09-18's open 66.1685;
    // 2013-10-01 %K 81.98800 > 80 → exit at 2013-10-02's open 69.3756.
    expect(k[run.bar(D('2013-10-01'))]).toBeCloseTo(81.988, 3);
    checkTrade(run, { side: 'long', entry: D('2013-09-18'), entryPrice: 66.1685, exit: D('2013-10-02'), exitPrice: 69.3756, reason: 'signal' });
  });

  it('07 RSI(2) dips inside an EMA(50) > EMA(200) uptrend on SPX 1d; "not uptrend" also exits', () => {
    let fast: number[] = [];
    let slow: number[] = [];
    let rsi: number[] = [];
    const run = runFixture('07-trend-filtered-rsi.pine', 'SPX', '1d', NONE, (b) => {
      fast = refEma(b.close, 50);
      slow = refEma(b.close, 200);
      rsi = refRsi(b.close, 2);
      const defined = (t: number): boolean => !Number.isNaN(fast[t]!) && !Number.isNaN(slow[t]!);
      return {
        longEntry: (t) => fast[t]! > slow[t]! && rsi[t]! < 10,
        longExit: (t) => rsi[t]! > 80 || (defined(t) && !(fast[t]! > slow[t]!)),
      };
    });
    // 2003-06-23: EMA50 949.78455 > EMA200 923.26695, RSI(2) 6.75197 < 10 → long at 2003-06-24's open 981.640015;
    // 2003-07-02 RSI(2) 88.77881 > 80 → exit at 2003-07-03's open 993.75.
    const s = run.bar(D('2003-06-23'));
    expect(fast[s]).toBeCloseTo(949.78455, 4);
    expect(slow[s]).toBeCloseTo(923.26695, 4);
    expect(rsi[s]).toBeCloseTo(6.75197, 4);
    checkTrade(run, { side: 'long', entry: D('2003-06-24'), entryPrice: 981.640015, exit: D('2003-07-03'), exitPrice: 993.75, reason: 'signal' });
    // The trend exit: long 2008-01-03 at 1447.550049; on 2008-01-08 EMA50 1470.45593 falls under EMA200 1471.33650
    // (2008-01-07: 1473.73209 > 1472.15204) while RSI(2) is 6.05975 — nowhere near 80 — so "not uptrend" closes it
    // at 2008-01-09's open 1390.25.
    const x = run.bar(D('2008-01-08'));
    expect([fast[x - 1]! > slow[x - 1]!, fast[x]! > slow[x]!, rsi[x]! > 80]).toEqual([true, false, false]);
    expect(fast[x]).toBeCloseTo(1470.45593, 4);
    expect(slow[x]).toBeCloseTo(1471.3365, 4);
    checkTrade(run, { side: 'long', entry: D('2008-01-03'), entryPrice: 1447.550049, exit: D('2008-01-09'), exitPrice: 1390.25, reason: 'signal' });
    // No entry before EMA200 exists (bar 199).
    expect(run.trades[0]!.entryIndex).toBeGreaterThan(199);
  });

  it('08 ROC(12) crossing zero on AAPL 5m (resampled from the bar-end 1m file)', () => {
    const run = runFixture('08-roc-zero-cross.pine', 'AAPL', '5m', NONE, (b) => {
      const roc = refRoc(b.close, 12);
      return { longEntry: (t) => crossUp(roc, 0, t), longExit: (t) => crossDown(roc, 0, t) };
    });
    const c = (iso: string): number => run.bars.close[run.bar(`2016-04-15T${iso}:00.000Z`)]!;
    // 14:35 close 111.7061 vs 12 bars back (13:35) 111.98: ROC −0.24460 %; 14:40 close 111.89 vs 111.81 (13:40): +0.07155 %
    // → crosses above 0 → long at the 14:45 open, 111.89. 16:05 111.965 vs 111.96: +0.00447 %; 16:10 111.93 vs 111.945:
    // −0.01340 % → exit at the 16:15 open, 111.93.
    expect([c('14:35'), c('13:35'), c('14:40'), c('13:40')]).toEqual([111.7061, 111.98, 111.89, 111.81]);
    expect([c('16:05'), c('15:05'), c('16:10'), c('15:10')]).toEqual([111.965, 111.96, 111.93, 111.945]);
    checkTrade(run, { side: 'long', entry: '2016-04-15T14:45:00.000Z', entryPrice: 111.89, exit: '2016-04-15T16:15:00.000Z', exitPrice: 111.93, reason: 'signal' });
    // 18:20 110.13 vs 110.635: −0.45646 %; 18:25 110.12 vs 110.07: +0.04543 % → long at the 18:30 open 110.13;
    // 18:30 110.05 vs 110.085: −0.03179 % → out again at the 18:35 open 110.05 — a one-bar trade.
    expect([c('18:20'), c('17:20'), c('18:25'), c('17:25'), c('18:30'), c('17:30')]).toEqual([110.13, 110.635, 110.12, 110.07, 110.05, 110.085]);
    const t = checkTrade(run, { side: 'long', entry: '2016-04-15T18:30:00.000Z', entryPrice: 110.13, exit: '2016-04-15T18:35:00.000Z', exitPrice: 110.05, reason: 'signal' });
    expect(t.exitIndex - t.entryIndex).toBe(1);
    expect(run.bars.time[1]! - run.bars.time[0]!).toBe(5 * 60_000);
  });

  it('09 close crossing SMA(20) while ADX(14) > 25 on BTCUSD 1h, reversing', () => {
    let adx: number[] = [];
    let ma: number[] = [];
    const run = runFixture('09-adx-trend-cross.pine', 'BTCUSD', '1h', NONE, (b) => {
      adx = refAdx(b.high, b.low, b.close, 14).adx;
      ma = refSma(b.close, 20);
      const c = Array.from(b.close);
      return { longEntry: (t) => adx[t]! > 25 && crossUp(c, ma, t), shortEntry: (t) => adx[t]! > 25 && crossDown(c, ma, t) };
    });
    const h = (iso: string): number => run.bar(`2016-02-11T${iso}:00.000Z`);
    // 03:00 close 381.02 ≥ SMA20 380.4775; 04:00 close 380.02 < 380.549 with ADX 40.65753 → short at the 05:00 open 380.02.
    // 08:00 close 379.10 ≤ 380.809; 09:00 381.21 > 380.6795 with ADX 30.31829 → reverse to long at the 10:00 open 381.21.
    // 10:00 close 380.00 < 380.4595 with ADX 28.86909 → reverse to short at the 11:00 open 380.00, held until 2016-02-21 21:00.
    expect(ma[h('04:00')]).toBeCloseTo(380.549, 9);
    expect(adx[h('04:00')]).toBeCloseTo(40.65753, 4);
    expect(adx[h('09:00')]).toBeCloseTo(30.31829, 4);
    expect(adx[h('10:00')]).toBeCloseTo(28.86909, 4);
    checkTrade(run, { side: 'short', entry: '2016-02-11T05:00:00.000Z', entryPrice: 380.02, exit: '2016-02-11T10:00:00.000Z', exitPrice: 381.21, reason: 'signal' });
    checkTrade(run, { side: 'long', entry: '2016-02-11T10:00:00.000Z', entryPrice: 381.21, exit: '2016-02-11T11:00:00.000Z', exitPrice: 380, reason: 'signal' });
    checkTrade(run, { side: 'short', entry: '2016-02-11T11:00:00.000Z', entryPrice: 380, exit: '2016-02-21T21:00:00.000Z', exitPrice: 441.05, reason: 'signal' });
    // ADX is first defined at bar 2·14 − 1 = 27; no trade fills before bar 28.
    expect(adx[26]).toBeNaN();
    expect(Number.isNaN(adx[27])).toBe(false);
    expect(run.trades[0]!.entryIndex).toBeGreaterThanOrEqual(28);
  });

  it('10 close crossing above KC(20, 2).upper, out below the middle, on SPX 1d', () => {
    let mid: number[] = [];
    let up: number[] = [];
    let range: number[] = [];
    const run = runFixture('10-keltner-breakout.pine', 'SPX', '1d', NONE, (b) => {
      mid = refEma(b.close, 20);
      range = refAtr(b.high, b.low, b.close, 20);
      up = mid.map((m, t) => m + 2 * range[t]!);
      const c = Array.from(b.close);
      return { longEntry: (t) => crossUp(c, up, t), longExit: (t) => crossDown(c, mid, t) };
    });
    // 2000-03-15 close 1392.140015 ≤ upper 1441.06215; 2000-03-16 close 1458.469971 > upper 1452.01721
    // (EMA20 1389.43657 + 2 · ATR20 31.29032) → long at 2000-03-17's open 1458.469971.
    // 2000-04-11 close 1500.589966 ≥ middle 1483.46573; 2000-04-12 1467.170044 < 1481.91376 → exit at 2000-04-13's open 1467.170044.
    const s = run.bar(D('2000-03-16'));
    expect(mid[s]).toBeCloseTo(1389.43657, 4);
    expect(range[s]).toBeCloseTo(31.29032, 4);
    expect(up[s - 1]).toBeCloseTo(1441.06215, 4);
    checkTrade(run, { side: 'long', entry: D('2000-03-17'), entryPrice: 1458.469971, exit: D('2000-04-13'), exitPrice: 1467.170044, reason: 'signal' });
    // 2001-04-17 close 1191.810059 ≤ 1221.20454; 2001-04-18 1238.160034 > 1230.97791 → long at 2001-04-19's open 1238.160034;
    // 2001-05-25 1277.890015 ≥ middle 1269.12480; 2001-05-29 1267.930054 < 1269.01101 → out at 2001-05-30's open 1267.930054.
    expect(up[run.bar(D('2001-04-18'))]).toBeCloseTo(1230.97791, 4);
    expect(mid[run.bar(D('2001-05-29'))]).toBeCloseTo(1269.01101, 4);
    checkTrade(run, { side: 'long', entry: D('2001-04-19'), entryPrice: 1238.160034, exit: D('2001-05-30'), exitPrice: 1267.930054, reason: 'signal' });
  });

  it('11 inside bar direction on AAPL 1d (pure lags)', () => {
    const run = runFixture('11-inside-bar.pine', 'AAPL', '1d', NONE, (b) => {
      const inside = (t: number): boolean => t > 0 && b.high[t]! < b.high[t - 1]! && b.low[t]! > b.low[t - 1]!;
      return { longEntry: (t) => inside(t) && b.close[t]! > b.open[t]!, shortEntry: (t) => inside(t) && b.close[t]! < b.open[t]! };
    });
    const row = (date: string): number[] => { const i = run.bar(D(date)); return [run.bars.open[i]!, run.bars.high[i]!, run.bars.low[i]!, run.bars.close[i]!]; };
    // 2013-02-14 (O 66.3599 H 67.3771 L 66.2885 C 66.6556) inside 2013-02-13 (H 67.6628 L 66.1742), up → long at 2013-02-15's open 66.9785.
    expect([row('2013-02-13'), row('2013-02-14')]).toEqual([[66.7442, 67.6628, 66.1742, 66.7156], [66.3599, 67.3771, 66.2885, 66.6556]]);
    checkTrade(run, { side: 'long', entry: D('2013-02-15'), entryPrice: 66.9785, exit: D('2013-03-01'), exitPrice: 62.5714, reason: 'signal' });
    // 2013-02-28 (O 63.4357 H 63.9814 L 63.0571 C 63.0571) inside 2013-02-27 (H 64.6342 L 62.9499), down → reverse short at 62.5714.
    expect([row('2013-02-27'), row('2013-02-28')]).toEqual([[64.0614, 64.6342, 62.9499, 63.5099], [63.4357, 63.9814, 63.0571, 63.0571]]);
    checkTrade(run, { side: 'short', entry: D('2013-03-01'), entryPrice: 62.5714, exit: D('2013-04-04'), exitPrice: 61.9657, reason: 'signal' });
    // 2013-04-03 (H 62.4685 L 61.4728, O 61.6242 < C 61.7128) inside 2013-04-02 (H 62.5914 L 60.9142) → long at 61.9657.
    checkTrade(run, { side: 'long', entry: D('2013-04-04'), entryPrice: 61.9657, exit: D('2013-04-26'), exitPrice: 58.5442, reason: 'signal' });
    expect(run.spec.indicators).toEqual({});
  });

  it('12 CCI(20) crossing ∓100 with a 5 % stop on BTCUSD 1h; re-entry after a stop', () => {
    let cci: number[] = [];
    const run = runFixture('12-cci-extremes.pine', 'BTCUSD', '1h', { ...NONE, stopLossPct: 5 }, (b) => {
      cci = refCci(b.high, b.low, b.close, 20);
      return { longEntry: (t) => crossUp(cci, -100, t), shortEntry: (t) => crossDown(cci, 100, t) };
    });
    expect(run.spec.rules.long_entry).toEqual(['cci_len', 'crosses_above', '-$lvl']);
    const h = (iso: string): number => run.bar(`${iso}:00.000Z`);
    // 2016-02-10 16:00 CCI 104.66973 ≥ 100, 17:00 23.18837 < 100 → short at the 18:00 open 378.88;
    // 2016-02-11 21:00 CCI −117.49718 ≤ −100, 22:00 −54.46912 > −100 → reverse long at the 23:00 open 377.15.
    expect(cci[h('2016-02-10T16:00')]).toBeCloseTo(104.66973, 4);
    expect(cci[h('2016-02-10T17:00')]).toBeCloseTo(23.18837, 4);
    expect(cci[h('2016-02-11T21:00')]).toBeCloseTo(-117.49718, 4);
    expect(cci[h('2016-02-11T22:00')]).toBeCloseTo(-54.46912, 4);
    const t0 = checkTrade(run, { side: 'short', entry: '2016-02-10T18:00:00.000Z', entryPrice: 378.88, exit: '2016-02-11T23:00:00.000Z', exitPrice: 377.15, reason: 'signal' });
    expect(levelsUntouched(run, t0, 5, null)).toBe(true);
    checkTrade(run, { side: 'long', entry: '2016-02-11T23:00:00.000Z', entryPrice: 377.15, exit: '2016-02-12T12:00:00.000Z', exitPrice: 380.1, reason: 'signal' });
    // 2016-02-12 10:00 CCI 112.73731, 11:00 89.30603 → reverse short at the 12:00 open 380.10; stop 380.1 · 1.05 = 399.105;
    // first high at or above it: 2016-02-14 08:00 (high 400, open 397 below the level) → stopped at 399.105, −5 %.
    const t2 = checkTrade(run, { side: 'short', entry: '2016-02-12T12:00:00.000Z', entryPrice: 380.1, exit: '2016-02-14T08:00:00.000Z', exitPrice: 399.105, reason: 'stop' });
    expect(stopOrTarget(run, t2, 5, null)).toEqual({ bar: t2.exitIndex, reason: 'stop', price: 399.105 });
    expect(t2.return).toBeCloseTo(-0.05, 12);
    // Flat after the stop; 08:00 CCI 111.68508, 09:00 98.85676 → short again at the 10:00 open, 400.
    expect(cci[h('2016-02-14T08:00')]).toBeCloseTo(111.68508, 4);
    expect(cci[h('2016-02-14T09:00')]).toBeCloseTo(98.85676, 4);
    const t3 = run.trades.find((t) => t.entryIndex === h('2016-02-14T10:00'))!;
    expect([t3.side, t3.entryPrice, run.position[t2.exitIndex], run.position[t2.exitIndex + 1]]).toEqual(['short', 400, 0, 0]);
    expect(run.position[t3.entryIndex]).toBe(-1);
  });

  it('18 TradingView\'s built-in RSI Strategy (v5, verbatim) on AAPL 1d: RSI(14) crossing 30 buys, crossing 70 reverses short', () => {
    let rsi: number[] = [];
    // The script states no costs; a comment line (invisible to TradingView) sets zero costs so fills are the bare opens.
    const run = runFixture('18-tv-rsi-strategy-v5.pine', 'AAPL', '1d', NONE, (b) => {
      rsi = refRsi(b.close, 14);
      return { longEntry: (t) => crossUp(rsi, 30, t), shortEntry: (t) => crossDown(rsi, 70, t) };
    }, (text) => `${text}\n// @gauntlet fees_bps=0 slippage_bps=0\n`);
    // The `not na(vrsi)` guard left no trace: the crossings are false while RSI is undefined.
    expect(run.spec.rules).toEqual({ long_entry: ['rsi_length', 'crosses_above', '$overSold'], long_exit: null, short_entry: ['rsi_length', 'crosses_below', '$overBought'], short_exit: null });
    // 2013-03-06 RSI 26.81017 ≤ 30, 2013-03-07 31.06644 > 30 → long at the open of 2013-03-08, 61.3999.
    // 2013-08-05 RSI 74.46767 ≥ 70, 2013-08-06 69.87411 < 70 → reverse short at the open of 2013-08-07, 66.2571 (+7.911 %).
    // 2015-07-09 RSI 28.10781 ≤ 30, 2015-07-10 41.13365 > 30 → reverse long at the open of 2015-07-13, 125.03 (short −88.705 %).
    for (const [day, v] of [['2013-03-06', 26.81017], ['2013-03-07', 31.06644], ['2013-08-05', 74.46767], ['2013-08-06', 69.87411], ['2015-07-09', 28.10781], ['2015-07-10', 41.13365]] as const) {
      expect(rsi[run.bar(D(day))]).toBeCloseTo(v, 4);
    }
    const t0 = checkTrade(run, { side: 'long', entry: D('2013-03-08'), entryPrice: 61.3999, exit: D('2013-08-07'), exitPrice: 66.2571, reason: 'signal' });
    const t1 = checkTrade(run, { side: 'short', entry: D('2013-08-07'), entryPrice: 66.2571, exit: D('2015-07-13'), exitPrice: 125.03, reason: 'signal' });
    expect(run.trades.slice(0, 2)).toEqual([t0, t1]);
    expect(t0.return).toBeCloseTo(66.2571 / 61.3999 - 1, 12);
    expect(t1.return).toBeCloseTo(1 - 125.03 / 66.2571, 12);
    expect(run.trades.length).toBe(9);
  });
});

describe('Pine as published (fixtures 17–28, 33): every one translates, compiles and trades on the bundled data', () => {
  const cases: [string, string, Interval][] = [
    ['17-tv-rsi-strategy-v4', 'AAPL', '1d'], ['18-tv-rsi-strategy-v5', 'MSFT', '1d'], ['19-ema-cross-position-guards', 'AAPL', '1d'],
    ['20-rsi2-percent-stop-inputs', 'AAPL', '1d'], ['21-sma-cross-slippage-ticks', 'SPX', '1d'], ['22-cash-commission-breakout', 'AAPL', '1d'],
    ['23-bollinger-not-na-guard', 'AAPL', '1d'], ['24-opentrades-flat-macd', 'AAPL', '1d'], ['25-donchian-both-sides-guarded', 'BTCUSD', '1h'],
    ['26-v4-when-stop', 'AAPL', '1d'], ['27-macd-hist-exit-guard', 'SPX', '1d'], ['28-annotated-crypto-rsi', 'BTCUSD', '1h'],
    ['33-keltner-flat-entry-guard', 'AAPL', '1d'],
  ];
  it.each(cases)('%s on %s %s', (file, symbol, interval) => {
    const { spec } = translate(readFileSync(join(FIXTURES, `${file}.pine`), 'utf8'), { source: file });
    const { result } = compile(spec).backtest(universe.loadBars(symbol, interval, { repair: false }).bars);
    expect(result.trades.length).toBeGreaterThan(0);
  });
});
