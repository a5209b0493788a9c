import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import type { BacktestResult, Metrics } from '../backtest/types.ts';
import { compile } from '../compiler/compile.ts';

/** Shorthands over the compiler, the single execution path for specs. */
export function specSignals(spec: Spec, bars: Bars): Uint8Array {
  return compile(spec).signals(bars);
}

export function backtestSpec(spec: Spec, bars: Bars): { result: BacktestResult; metrics: Metrics; signals: Uint8Array } {
  return compile(spec).backtest(bars);
}
