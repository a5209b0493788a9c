import type { Bars } from '../data/bars.ts';
import { computeMetrics } from './metrics.ts';
import { runBacktest } from './run.ts';
import type { ExecutionOptions, Metrics } from './types.ts';

/**
 * The metrics of the same run at 0 fees and 0 slippage: gross, shown beside net. Signals do not depend on
 * costs, so only the execution runs again, on the signals the net run already computed.
 */
export function grossMetrics(bars: Bars, signals: Uint8Array, execution: ExecutionOptions): Metrics {
  return computeMetrics(bars, runBacktest(bars, signals, { ...execution, feesBps: 0, slippageBps: 0 }));
}
