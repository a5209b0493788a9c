/**
 * Comparison helpers shared by the golden and hand tests. They return a list of human-readable
 * differences (empty when equal), so a failing test names the exact field, index and values.
 */
import type { Metrics, Trade } from '../../src/engine/backtest/types.ts';

/** |a − b| ≤ rel·max(|a|, |b|) + abs; NaN equals NaN; ±∞ must match exactly. */
export function close(a: number, b: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

export interface Tolerance {
  rel: number;
  abs: number;
}

/** Hand cases: 1e-12, relative to the magnitude (at least 1). */
export const HAND_TOL: Tolerance = { rel: 1e-12, abs: 1e-12 };
/** Engine vs reference: 1e-9 relative, with a 1e-12 absolute floor for values that are ~0. */
export const GOLDEN_TOL: Tolerance = { rel: 1e-9, abs: 1e-12 };

export function diffSeries(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, max = 5): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`${label}: length ${actual.length} ≠ expected ${expected.length}`];
  for (let i = 0; i < actual.length && out.length < max; i++) {
    if (!close(actual[i]!, expected[i]!, tol.rel, tol.abs)) out.push(`${label}[${i}]: ${actual[i]} ≠ expected ${expected[i]}`);
  }
  return out;
}

export function diffExact(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, max = 5): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`${label}: length ${actual.length} ≠ expected ${expected.length}`];
  for (let i = 0; i < actual.length && out.length < max; i++) {
    if (actual[i] !== expected[i]) out.push(`${label}[${i}]: ${actual[i]} ≠ expected ${expected[i]}`);
  }
  return out;
}

const EXACT_TRADE_FIELDS = ['side', 'entryIndex', 'exitIndex', 'entryTime', 'exitTime', 'exitReason'] as const;
const NUMERIC_TRADE_FIELDS = ['entryPrice', 'exitPrice', 'return'] as const;

export function diffTrades(actual: readonly Trade[], expected: readonly Trade[], tol: Tolerance, max = 5): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`trades: count ${actual.length} ≠ expected ${expected.length}`);
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n && out.length < max; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    for (const f of EXACT_TRADE_FIELDS) {
      if (a[f] !== e[f]) out.push(`trade ${i} ${f}: ${String(a[f])} ≠ expected ${String(e[f])} (expected ${JSON.stringify(e)}, got ${JSON.stringify(a)})`);
    }
    for (const f of NUMERIC_TRADE_FIELDS) {
      if (!close(a[f], e[f], tol.rel, tol.abs)) out.push(`trade ${i} ${f}: ${a[f]} ≠ expected ${e[f]}`);
    }
  }
  return out;
}

const METRIC_KEYS: (keyof Metrics)[] = [
  'total_return', 'cagr', 'sharpe', 'sortino', 'max_drawdown', 'trades', 'trades_per_year',
  'avg_trade_return', 'win_rate', 'profit_factor', 'exposure',
];

export function diffMetrics(actual: Metrics, expected: Metrics, tol: Tolerance): string[] {
  const out: string[] = [];
  for (const k of METRIC_KEYS) {
    const a = actual[k];
    const e = expected[k];
    if (a === null || e === null) {
      if (a !== e) out.push(`metrics.${k}: ${a} ≠ expected ${e}`);
    } else if (k === 'trades') {
      if (a !== e) out.push(`metrics.trades: ${a} ≠ expected ${e}`);
    } else if (!close(a, e, tol.rel, tol.abs)) {
      out.push(`metrics.${k}: ${a} ≠ expected ${e}`);
    }
  }
  return out;
}
