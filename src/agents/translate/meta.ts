import { forEachComparison } from '../../core/spec/references.ts';
import type { Meta, Spec } from '../../core/spec/schema.ts';
import { FN_SHAPES } from './indicator-table.ts';

/** What classifyMeta reads: the logic, not the labels. */
export type SpecLogic = Pick<Spec, 'indicators' | 'rules' | 'params'>;

const OSCILLATORS = new Set(['rsi', 'cci', 'stoch', 'williamsr', 'mfi']);
const TREND = new Set(['sma', 'ema', 'wma', 'macd', 'adx']);
const OPERAND = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?(?:\[([0-9]+)\])?$/;

interface Ref { head: string; output: string | null; lag: number }

function refOf(o: number | string): Ref | null {
  if (typeof o === 'number' || o.startsWith('$') || o.startsWith('-$')) return null;
  const m = OPERAND.exec(o);
  return m === null ? null : { head: m[1]!, output: m[2] ?? null, lag: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * The deterministic classification (DESIGN §3 meta), a pure function of the logic so an LLM may
 * later refine it. Style looks at the entry rules only, first match wins:
 *   breakout        an entry reads highest/lowest (Donchian), or the band it breaks out of:
 *                   bbands/keltner upper for a long entry, lower for a short one;
 *   mean_reversion  an entry reads an oscillator (rsi cci stoch williamsr mfi), or the band it
 *                   reverts from: lower for a long entry, upper for a short one;
 *   momentum        an entry reads roc, or compares a price field with itself ≥ 2 bars back
 *                   (what Pine's `ta.mom(src, n) > 0` becomes);
 *   trend_following an entry reads a moving average, macd or adx;
 *   other           anything else (inside bars, plain price patterns).
 * holding_period from L, the longest lookback (every period-like argument, params at their value,
 * and every lag): L ≤ 20 short, L ≤ 60 medium, else long. The bar interval is unknown here, so
 * "intraday" is never chosen. volatility_preference is "any"; market_type is the caller's or
 * "equities".
 */
export function classifyMeta(logic: SpecLogic, opts: { market_type?: Meta['market_type'] } = {}): Meta {
  const fnOf = (head: string): string | null => logic.indicators[head]?.fn ?? null;
  const hits = { breakout: false, mean_reversion: false, momentum: false, trend_following: false };
  for (const [rule, long] of [['long_entry', true], ['short_entry', false]] as const) {
    const cond = logic.rules[rule];
    if (cond === null) continue;
    forEachComparison(cond, rule, ([l, , r]) => {
      const refs = [refOf(l), refOf(r)];
      for (const ref of refs) {
        if (ref === null) continue;
        const fn = fnOf(ref.head);
        if (fn === 'highest' || fn === 'lowest') hits.breakout = true;
        if (fn === 'bbands' || fn === 'keltner') {
          if (ref.output === (long ? 'upper' : 'lower')) hits.breakout = true;
          if (ref.output === (long ? 'lower' : 'upper')) hits.mean_reversion = true;
        }
        if (fn !== null && OSCILLATORS.has(fn)) hits.mean_reversion = true;
        if (fn === 'roc') hits.momentum = true;
        if (fn !== null && TREND.has(fn)) hits.trend_following = true;
      }
      const a = refs[0]!;
      const b = refs[1]!;
      if (a !== null && b !== null && a.head === b.head && fnOf(a.head) === null && Math.abs(a.lag - b.lag) >= 2) hits.momentum = true;
    });
  }
  const style: Meta['style'] = hits.breakout ? 'breakout' : hits.mean_reversion ? 'mean_reversion' : hits.momentum ? 'momentum'
    : hits.trend_following ? 'trend_following' : 'other';
  return { style, holding_period: holdingPeriod(lookback(logic)), volatility_preference: 'any', market_type: opts.market_type ?? 'equities' };
}

export function holdingPeriod(lookbackBars: number): Meta['holding_period'] {
  return lookbackBars <= 20 ? 'short' : lookbackBars <= 60 ? 'medium' : 'long';
}

/** The longest lookback in bars: period-like arguments (params at their value) and lags. */
export function lookback(logic: SpecLogic): number {
  let longest = 0;
  for (const ind of Object.values(logic.indicators)) {
    for (const key of FN_SHAPES[ind.fn].periods) {
      const v = (ind as unknown as Record<string, number | string | undefined>)[key];
      const n = typeof v === 'number' ? v : typeof v === 'string' ? logic.params[v.slice(1)]?.value : undefined;
      if (n !== undefined) longest = Math.max(longest, n);
    }
  }
  for (const rule of ['long_entry', 'long_exit', 'short_entry', 'short_exit'] as const) {
    const cond = logic.rules[rule];
    if (cond === null) continue;
    forEachComparison(cond, rule, ([l, , r]) => {
      for (const o of [l, r]) longest = Math.max(longest, refOf(o)?.lag ?? 0);
    });
  }
  return longest;
}
