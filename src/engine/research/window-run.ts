import { sliceBars, type Bars } from '../data/bars.ts';
import { runBacktest, type OutputBuffers } from '../backtest/run.ts';
import { computeMetrics } from '../backtest/metrics.ts';
import type { BacktestResult, Metrics } from '../backtest/types.ts';
import type { CompiledSpec } from '../compiler/compile.ts';
import { withWorkspace, type Workspace } from '../workspace.ts';

export interface WindowRun {
  /** The executed bars [from, to) (views into the caller's bars). */
  bars: Bars;
  result: BacktestResult;
  /** Signal bits of the executed bars. */
  signals: Uint8Array;
}

/**
 * Signals of bars [0, to) — causal, so bar t's bits are what a live run would have computed at t —
 * then execution on [from, to) only: equity starts at 1 at bar `from`, flat. Every research run
 * (visible, holdout, walk-forward windows, optimiser trials) goes through here, so a window never
 * reads a bar at or after `to`, and bars before `from` serve only as indicator warm-up.
 * `ws` lends scratch columns across calls; `into` reuses output columns (see runBacktest).
 */
export function runWindow(compiled: CompiledSpec, bars: Bars, from: number, to: number, opts: { ws?: Workspace; into?: OutputBuffers } = {}): WindowRun {
  const prefix = sliceBars(bars, 0, to);
  const all = opts.ws === undefined ? compiled.signals(prefix) : withWorkspace(opts.ws, () => compiled.strategy(prefix).signals());
  const slice = sliceBars(bars, from, to);
  const signals = all.subarray(from, to);
  return { bars: slice, result: runBacktest(slice, signals, compiled.execution, opts.into), signals };
}

/** runWindow plus the DESIGN §5 metrics of the executed bars. */
export function runWindowWithMetrics(compiled: CompiledSpec, bars: Bars, from: number, to: number): WindowRun & { metrics: Metrics } {
  const run = runWindow(compiled, bars, from, to);
  return { ...run, metrics: computeMetrics(run.bars, run.result) };
}
