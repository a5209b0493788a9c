import { check } from '../research/gate.ts';
import type { Check } from '../research/gate.ts';
import { sharpeRatio } from '../stats/index.ts';
import { fmt } from './format.ts';
import { returnsIn } from './portfolio.ts';
import type { Portfolio } from './portfolio.ts';
import { avgTradeReturnIn } from './pooled-trades.ts';
import type { PooledTrades } from './pooled-trades.ts';

/**
 * "The edge" that robustness and the holdout ask to survive: the mean per-trade return of the
 * trades ENTERED in a time window, and the per-bar Sharpe of the equal-weight portfolio's returns
 * realised in it. Both come from the runs already made — nothing is re-run.
 */
export interface Edge {
  /** null when no trade was entered in the window. */
  readonly avgTradeReturn: number | null;
  readonly trades: number;
  /** Per-bar, not annualised; null with fewer than two returns in the window. */
  readonly sharpe: number | null;
  readonly bars: number;
}

/** A window [from, to), or [from, to] when `closedEnd` (the last part of a span keeps the last bar). */
export interface Window {
  readonly from: number;
  readonly to: number;
  readonly closedEnd: boolean;
}

export function edgeIn(p: Portfolio, trades: PooledTrades, w: Window): Edge {
  const { avg, count } = avgTradeReturnIn(trades, w.from, w.to, w.closedEnd);
  const r = returnsIn(p, w.from, w.to, w.closedEnd);
  return { avgTradeReturn: avg, trades: count, sharpe: r.length >= 2 ? sharpeRatio(r) : null, bars: r.length };
}

/**
 * The smallest positive double, as the threshold of a check that must be strictly > 0 ("there is an
 * edge"): Check's `>=` then passes exactly when the value is > 0, so op, threshold and pass agree.
 */
export const ABOVE_ZERO = Number.MIN_VALUE;

/**
 * value_on_part ÷ value_on_reference, defined only when the reference is > 0: a reference without an
 * edge has nothing to keep, so the ratio is null (unmeasured → the check fails) with the reason.
 */
export function retention(part: number | null, ref: number | null): { ratio: number | null; why: string } {
  if (ref === null) return { ratio: null, why: 'unmeasured on the reference' };
  if (!(ref > 0)) return { ratio: null, why: `no edge on the reference (${fmt(ref)} ≤ 0)` };
  if (part === null) return { ratio: null, why: 'unmeasured on the part' };
  return { ratio: part / ref, why: `${fmt(part)} vs ${fmt(ref)}` };
}

/** "keeps ≥ minRetention of its value": part/ref ≥ minRetention, i.e. part ≥ minRetention × ref with ref > 0. */
export function retentionCheck(name: string, part: number | null, ref: number | null, minRetention: number, what: string): Check {
  const r = retention(part, ref);
  return check(name, r.ratio, '>=', minRetention, `${what}: ${r.why}`);
}

/** A check that passes iff value > 0 (see ABOVE_ZERO). */
export function positiveCheck(name: string, value: number | null, note: string): Check {
  return check(name, value, '>=', ABOVE_ZERO, `must be > 0; ${note}`);
}
