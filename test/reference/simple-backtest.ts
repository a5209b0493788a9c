/**
 * A deliberately simple reference implementation of the backtest contract
 * (DESIGN §3–§5, docs/semantics.md), written without looking at the engine.
 *
 * Everything here is object-per-bar and literal: a state machine that walks the bars one
 * at a time, with one branch per rule. It is slow on purpose; it exists so the golden tests
 * can compare the engine against an independent computation.
 */
import * as ti from 'technicalindicators';
import type { ExecutionOptions, ExitReason, Metrics, Side, Trade } from '../../src/engine/backtest/types.ts';
import type { Condition, Indicator, NumOrParam, Operand, Spec } from '../../src/core/spec/schema.ts';
import type { BarRow, SignalRow } from './data.ts';

export interface ReferenceResult {
  /** Equity at each close. */
  equity: number[];
  /** 1 long, −1 short, 0 flat at each close (the last bar shows the position the end exit closed). */
  position: number[];
  trades: Trade[];
}

/** The order decided at the close of a bar, to be executed at the next bar's open. */
type Order =
  | 'none'
  | 'buy' // flat → long
  | 'sell_short' // flat → short
  | 'sell' // long → flat
  | 'buy_to_cover' // short → flat
  | 'sell_then_sell_short' // long → short (reversal)
  | 'buy_to_cover_then_buy'; // short → long (reversal)

interface OpenPosition {
  side: Side;
  entryIndex: number;
  entryTime: number;
  /** Fill price, slippage included. */
  entryPrice: number;
  units: number;
  /** Equity right before the entry fill (for the per-trade return). */
  equityBeforeEntry: number;
  /** Equity right after the entry fill, i.e. after the entry fee: E_entry. */
  equityAfterEntry: number;
  stopLevel: number | null;
  targetLevel: number | null;
}

export function referenceBacktest(
  bars: readonly BarRow[],
  signals: readonly SignalRow[],
  opts: ExecutionOptions,
): ReferenceResult {
  if (signals.length !== bars.length) throw new Error('signals and bars differ in length');
  const fee = opts.feesBps / 1e4;
  const slip = opts.slippageBps / 1e4;
  const lastIndex = bars.length - 1;

  const equity: number[] = [];
  const position: number[] = [];
  const trades: Trade[] = [];

  let flatEquity = 1; // the equity while no position is open
  let pos: OpenPosition | null = null;
  let pending: Order = 'none';

  // A buy fills above the raw price, a sell below it.
  const buyFill = (raw: number): number => raw * (1 + slip);
  const sellFill = (raw: number): number => raw * (1 - slip);

  const enter = (side: Side, index: number, fillPrice: number): void => {
    const before = flatEquity;
    const units = before / fillPrice;
    const entryFee = fee * units * fillPrice;
    let stopLevel: number | null = null;
    let targetLevel: number | null = null;
    if (side === 'long') {
      if (opts.stopLossPct !== null) stopLevel = fillPrice * (1 - opts.stopLossPct / 100);
      if (opts.takeProfitPct !== null) targetLevel = fillPrice * (1 + opts.takeProfitPct / 100);
    } else {
      if (opts.stopLossPct !== null) stopLevel = fillPrice * (1 + opts.stopLossPct / 100);
      if (opts.takeProfitPct !== null) targetLevel = fillPrice * (1 - opts.takeProfitPct / 100);
    }
    pos = {
      side, entryIndex: index, entryTime: bars[index]!.time, entryPrice: fillPrice, units,
      equityBeforeEntry: before, equityAfterEntry: before - entryFee, stopLevel, targetLevel,
    };
  };

  const exit = (index: number, fillPrice: number, reason: ExitReason): void => {
    const p = pos!;
    let pnl: number;
    if (p.side === 'long') pnl = p.units * (fillPrice - p.entryPrice);
    else pnl = p.units * (p.entryPrice - fillPrice);
    const exitFee = fee * p.units * fillPrice;
    const after = p.equityAfterEntry + pnl - exitFee;
    trades.push({
      side: p.side,
      entryIndex: p.entryIndex,
      exitIndex: index,
      entryTime: p.entryTime,
      exitTime: bars[index]!.time,
      entryPrice: p.entryPrice,
      exitPrice: fillPrice,
      return: after / p.equityBeforeEntry - 1,
      exitReason: reason,
    });
    flatEquity = after;
    pos = null;
  };

  const markToMarket = (price: number): number => {
    const p = pos;
    if (p === null) return flatEquity;
    if (p.side === 'long') return p.equityAfterEntry + p.units * (price - p.entryPrice);
    return p.equityAfterEntry + p.units * (p.entryPrice - price);
  };

  for (let t = 0; t < bars.length; t++) {
    const bar = bars[t]!;

    // 1. Execute the order decided at the previous close, at this bar's open.
    if (pending === 'buy') {
      enter('long', t, buyFill(bar.open));
    } else if (pending === 'sell_short') {
      enter('short', t, sellFill(bar.open));
    } else if (pending === 'sell') {
      exit(t, sellFill(bar.open), 'signal');
    } else if (pending === 'buy_to_cover') {
      exit(t, buyFill(bar.open), 'signal');
    } else if (pending === 'sell_then_sell_short') {
      const fill = sellFill(bar.open);
      exit(t, fill, 'signal');
      enter('short', t, fill);
    } else if (pending === 'buy_to_cover_then_buy') {
      const fill = buyFill(bar.open);
      exit(t, fill, 'signal');
      enter('long', t, fill);
    }
    pending = 'none';

    // 2. Stops and targets, on every bar from the fill bar on; the stop wins a tie.
    const held = pos as OpenPosition | null;
    if (held !== null && held.side === 'long') {
      const stopTouched = held.stopLevel !== null && bar.low <= held.stopLevel;
      const targetTouched = held.targetLevel !== null && bar.high >= held.targetLevel;
      if (stopTouched) {
        const level = held.stopLevel!;
        const raw = bar.open <= level ? bar.open : level; // gap through the stop → the open
        exit(t, sellFill(raw), 'stop');
      } else if (targetTouched) {
        const level = held.targetLevel!;
        const raw = bar.open >= level ? bar.open : level; // gap through the target → the open
        exit(t, sellFill(raw), 'target');
      }
    } else if (held !== null && held.side === 'short') {
      const stopTouched = held.stopLevel !== null && bar.high >= held.stopLevel;
      const targetTouched = held.targetLevel !== null && bar.low <= held.targetLevel;
      if (stopTouched) {
        const level = held.stopLevel!;
        const raw = bar.open >= level ? bar.open : level;
        exit(t, buyFill(raw), 'stop');
      } else if (targetTouched) {
        const level = held.targetLevel!;
        const raw = bar.open <= level ? bar.open : level;
        exit(t, buyFill(raw), 'target');
      }
    }

    // 3. The close: on the last bar an open position is closed there ('end'); else mark to market.
    const current = pos as OpenPosition | null;
    if (t === lastIndex && current !== null) {
      position.push(current.side === 'long' ? 1 : -1);
      if (current.side === 'long') exit(t, sellFill(bar.close), 'end');
      else exit(t, buyFill(bar.close), 'end');
      equity.push(flatEquity);
      continue;
    }
    position.push(current === null ? 0 : current.side === 'long' ? 1 : -1);
    equity.push(markToMarket(bar.close));

    // 4. Signals at this close decide the next bar's order. A signal on the last bar is ignored.
    if (t === lastIndex) continue;
    const s = signals[t]!;
    if (current === null) {
      if (s.longEntry) pending = 'buy';
      else if (s.shortEntry) pending = 'sell_short';
    } else if (current.side === 'long') {
      if (s.shortEntry) pending = 'sell_then_sell_short';
      else if (s.longExit) pending = 'sell';
    } else {
      if (s.longEntry) pending = 'buy_to_cover_then_buy';
      else if (s.shortExit) pending = 'buy_to_cover';
    }
  }

  return { equity, position, trades };
}

// ---------------------------------------------------------------------------------------------
// Metrics (DESIGN §5, docs/semantics.md)

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

export function referenceMetrics(
  times: readonly number[],
  equity: readonly number[],
  position: readonly number[],
  trades: readonly Trade[],
): Metrics {
  const n = equity.length;
  const years = (times[n - 1]! - times[0]!) / YEAR_MS;
  const barsPerYear = (n - 1) / years;
  const first = equity[0]!;
  const last = equity[n - 1]!;

  const returns: number[] = [];
  for (let t = 1; t < n; t++) returns.push(equity[t]! / equity[t - 1]! - 1);

  const total_return = last / first - 1;
  const cagr = last <= 0 ? -1 : Math.pow(last / first, 1 / years) - 1;

  let sharpe = 0;
  if (returns.length >= 2) {
    const m = mean(returns);
    let squares = 0;
    for (const r of returns) squares += (r - m) * (r - m);
    const std = Math.sqrt(squares / (returns.length - 1));
    if (std !== 0) sharpe = (m / std) * Math.sqrt(barsPerYear);
  }

  let sortino = 0;
  const hasNegative = returns.some((r) => r < 0);
  if (hasNegative) {
    let downside = 0;
    for (const r of returns) downside += Math.min(r, 0) ** 2;
    sortino = (mean(returns) / Math.sqrt(downside / returns.length)) * Math.sqrt(barsPerYear);
  }

  let peak = -Infinity;
  let max_drawdown = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > max_drawdown) max_drawdown = dd;
  }

  const tradeReturns = trades.map((tr) => tr.return);
  const wins = tradeReturns.filter((r) => r > 0);
  const losses = tradeReturns.filter((r) => r < 0);
  let sumWins = 0;
  for (const w of wins) sumWins += w;
  let sumLosses = 0;
  for (const l of losses) sumLosses += l;

  let exposed = 0;
  for (const p of position) if (p !== 0) exposed++;

  return {
    total_return,
    cagr,
    sharpe,
    sortino,
    max_drawdown,
    trades: trades.length,
    trades_per_year: trades.length / years,
    avg_trade_return: trades.length === 0 ? 0 : mean(tradeReturns),
    win_rate: trades.length === 0 ? 0 : wins.length / trades.length,
    profit_factor: losses.length === 0 ? null : sumWins / Math.abs(sumLosses),
    exposure: exposed / n,
  };
}

// ---------------------------------------------------------------------------------------------
// Signals: a spec's rules evaluated per bar with Kleene three-valued logic.

/** Three-valued truth: true, false, or undefined (an input was undefined). */
type Tri = 'T' | 'F' | 'U';

/** An indicator's outputs, each a full-length series with NaN during warm-up. Single-output fns use key ''. */
type Outputs = Record<string, number[]>;

/** technicalindicators returns only the values after warm-up; put NaN in front to realign with the bars. */
function padHead(values: readonly (number | undefined)[], n: number): number[] {
  if (values.length > n) throw new Error(`indicator returned ${values.length} values for ${n} bars`);
  const out: number[] = new Array<number>(n - values.length).fill(NaN);
  for (const v of values) out.push(v === undefined ? NaN : v);
  return out;
}

function computeIndicator(def: Indicator, bars: readonly BarRow[], num: (v: NumOrParam) => number): Outputs {
  const n = bars.length;
  const column = (field: keyof BarRow): number[] => bars.map((b) => b[field]);
  const high = column('high');
  const low = column('low');
  const close = column('close');

  switch (def.fn) {
    case 'sma':
      return { '': padHead(ti.sma({ period: num(def.period), values: column(def.source ?? 'close') }), n) };
    case 'ema':
      return { '': padHead(ti.ema({ period: num(def.period), values: column(def.source ?? 'close') }), n) };
    case 'wma':
      return { '': padHead(ti.wma({ period: num(def.period), values: column(def.source ?? 'close') }), n) };
    case 'roc':
      // Percent: (x[t] − x[t−period]) / x[t−period] · 100.
      return { '': padHead(ti.roc({ period: num(def.period), values: column(def.source ?? 'close') }), n) };
    case 'bbands': {
      // Middle = SMA; bands = middle ± stddev · population standard deviation (÷ period).
      const rows = ti.bollingerbands({ period: num(def.period), stdDev: num(def.stddev), values: column(def.source ?? 'close') });
      return {
        upper: padHead(rows.map((r) => r.upper), n),
        middle: padHead(rows.map((r) => r.middle), n),
        lower: padHead(rows.map((r) => r.lower), n),
      };
    }
    case 'macd': {
      // EMA(fast) − EMA(slow) (each seeded by the SMA of its first values), signal = EMA of MACD.
      const rows = ti.macd({
        values: column(def.source ?? 'close'),
        fastPeriod: num(def.fast), slowPeriod: num(def.slow), signalPeriod: num(def.signal),
        SimpleMAOscillator: false, SimpleMASignal: false,
      });
      return {
        macd: padHead(rows.map((r) => r.MACD), n),
        signal: padHead(rows.map((r) => r.signal), n),
        histogram: padHead(rows.map((r) => r.histogram), n),
      };
    }
    case 'atr':
      // Wilder: true range from bar 1 on; the first ATR (bar `period`) is the mean of the first `period` TRs.
      return { '': padHead(ti.atr({ period: num(def.period), high, low, close }), n) };
    case 'cci':
      return { '': padHead(ti.cci({ period: num(def.period), high, low, close }), n) };
    case 'highest':
    case 'lowest': {
      // Donchian: the max (min) over the last `period` bars, the current bar included. A naive loop.
      const period = num(def.period);
      const src = column(def.source ?? (def.fn === 'highest' ? 'high' : 'low'));
      const out: number[] = [];
      for (let t = 0; t < n; t++) {
        if (t < period - 1) {
          out.push(NaN);
          continue;
        }
        let v = src[t]!;
        for (let k = t - period + 1; k <= t; k++) {
          if (def.fn === 'highest') v = Math.max(v, src[k]!);
          else v = Math.min(v, src[k]!);
        }
        out.push(v);
      }
      return { '': out };
    }
    default:
      throw new Error(`the reference does not implement indicator fn "${def.fn}"`);
  }
}

const PRICE_FIELD_NAMES = new Set(['open', 'high', 'low', 'close', 'volume']);

export function referenceSignals(spec: Spec, bars: readonly BarRow[]): SignalRow[] {
  const paramValue = (name: string): number => {
    const p = spec.params[name];
    if (p === undefined) throw new Error(`unknown param $${name}`);
    return p.value;
  };
  const num = (v: NumOrParam): number => (typeof v === 'number' ? v : paramValue(v.slice(1)));

  const indicators: Record<string, Outputs> = {};
  for (const [id, def] of Object.entries(spec.indicators)) indicators[id] = computeIndicator(def, bars, num);

  /** The value of an operand at bar t (NaN when undefined). */
  const valueAt = (operand: Operand, t: number): number => {
    if (typeof operand === 'number') return operand;
    if (operand.startsWith('$')) return paramValue(operand.slice(1));
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?(?:\[([0-9]+)\])?$/.exec(operand);
    if (!m) throw new Error(`bad operand ${operand}`);
    const name = m[1]!;
    const output = m[2];
    const lag = m[3] === undefined ? 0 : Number(m[3]);
    const index = t - lag;
    if (index < 0) return NaN; // a lag before the first bar is undefined
    if (output === undefined && PRICE_FIELD_NAMES.has(name)) {
      return bars[index]![name as 'open' | 'high' | 'low' | 'close' | 'volume'];
    }
    const outs = indicators[name];
    if (outs === undefined) throw new Error(`unknown indicator ${name} in ${operand}`);
    const series = outs[output ?? ''];
    if (series === undefined) throw new Error(`unknown output in ${operand}`);
    return series[index]!;
  };

  const compare = (a: number, op: '<' | '<=' | '>' | '>=', b: number): Tri => {
    if (Number.isNaN(a) || Number.isNaN(b)) return 'U';
    let result: boolean;
    if (op === '<') result = a < b;
    else if (op === '<=') result = a <= b;
    else if (op === '>') result = a > b;
    else result = a >= b;
    return result ? 'T' : 'F';
  };

  const evaluate = (cond: Condition, t: number): Tri => {
    if (Array.isArray(cond)) {
      const [left, op, right] = cond;
      if (op === 'crosses_above' || op === 'crosses_below') {
        if (t === 0) return 'U'; // docs/semantics.md: undefined at t = 0 (there is no t−1)
        const a = valueAt(left, t);
        const b = valueAt(right, t);
        const aPrev = valueAt(left, t - 1);
        const bPrev = valueAt(right, t - 1);
        if ([a, b, aPrev, bPrev].some(Number.isNaN)) return 'U';
        if (op === 'crosses_above') return a > b && aPrev <= bPrev ? 'T' : 'F';
        return a < b && aPrev >= bPrev ? 'T' : 'F';
      }
      return compare(valueAt(left, t), op, valueAt(right, t));
    }
    if ('all' in cond) {
      const parts = cond.all.map((c) => evaluate(c, t));
      if (parts.includes('F')) return 'F';
      if (parts.includes('U')) return 'U';
      return 'T';
    }
    if ('any' in cond) {
      const parts = cond.any.map((c) => evaluate(c, t));
      if (parts.includes('T')) return 'T';
      if (parts.includes('U')) return 'U';
      return 'F';
    }
    const inner = evaluate(cond.not, t);
    if (inner === 'T') return 'F';
    if (inner === 'F') return 'T';
    return 'U';
  };

  /** At the top, undefined counts as false; a null rule never fires. */
  const fires = (rule: Condition | null, t: number): boolean => rule !== null && evaluate(rule, t) === 'T';

  return bars.map((_, t) => ({
    longEntry: fires(spec.rules.long_entry, t),
    longExit: fires(spec.rules.long_exit, t),
    shortEntry: fires(spec.rules.short_entry, t),
    shortExit: fires(spec.rules.short_exit, t),
  }));
}

/** The execution options a spec implies. */
export function specOptions(spec: Spec): ExecutionOptions {
  return {
    stopLossPct: spec.risk.stop_loss_pct,
    takeProfitPct: spec.risk.take_profit_pct,
    feesBps: spec.execution.fees_bps,
    slippageBps: spec.execution.slippage_bps,
  };
}
