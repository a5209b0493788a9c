import { UserError } from '../../core/errors.ts';
import type { OptimizationResult, OptimizeOptions, Trial } from '../../core/research/ports.ts';
import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { gridTrials, randomTrials, type ParamValues } from './param-space.ts';
import { poolLayout, type SeriesWindow } from './pooled-returns.ts';
import type { TrialOutcome } from './trial-eval.ts';
import { TrialRunner } from './trial-runner.ts';

/** An OptimizationResult whose returns matrix also carries its time grid (rows = pooled return times). */
export interface OptimizationRun extends OptimizationResult {
  returns: OptimizationResult['returns'] & { time: Float64Array };
}

/** The candidate list of a search (grid: sampled down to `trials`; random: seeded draws). */
export function candidateTrials(spec: Spec, method: OptimizeOptions['method'], trials: number, seed: number): ParamValues[] {
  if (method === 'grid') return gridTrials(spec, trials, seed);
  if (method === 'random') return randomTrials(spec, trials, seed);
  throw new UserError(`optimize: method must be "grid" or "random", got "${String(method)}"`);
}

export function requireSeries(series: readonly Bars[], what: string): void {
  if (series.length === 0) throw new UserError(`${what}: no series to run on`);
  for (const b of series) if (b.time.length < 2) throw new UserError(`${what}: ${b.symbol}@${b.interval} has ${b.time.length} visible bar(s); need at least 2`);
}

/** The index of the best outcome: highest per-bar Sharpe, the earliest trial on ties. */
export function bestIndex(outcomes: readonly TrialOutcome[]): number {
  let best = 0;
  for (let i = 1; i < outcomes.length; i++) if (outcomes[i]!.sharpe > outcomes[best]!.sharpe) best = i;
  return best;
}

/** Packs outcomes into the port's shape: trials, best params and the bars × trials returns matrix (column-major). */
export function toOptimizationRun(method: OptimizeOptions['method'], params: readonly ParamValues[], outcomes: readonly TrialOutcome[], time: Float64Array): OptimizationRun {
  const bars = time.length;
  const values = new Float64Array(bars * outcomes.length);
  outcomes.forEach((o, j) => values.set(o.returns, j * bars));
  const trials: Trial[] = outcomes.map((o, j) => ({
    params: { ...params[j]! },
    sharpe: o.sharpe,
    metrics: { sharpe: o.annualSharpe, avg_trade_return: o.avgTradeReturn, trades: o.trades },
  }));
  return { method, trials, best: { ...params[bestIndex(outcomes)]! }, returns: { bars, trials: outcomes.length, values, time } };
}

/**
 * Searches the declared param ranges of `spec` on `series` — the VISIBLE bars only: the caller
 * slices them, and nothing else reaches the workers. Every trial runs every series from its first
 * bar, pooled into one equal-weight portfolio (PoolAccumulator); the objective is the portfolio's
 * per-bar Sharpe, the number DSR deflates and PBO's CSCV ranks by (stats.md §3: select with the
 * metric you test with). Trials run inline or on worker threads; see TrialRunner.
 */
export async function optimize(spec: Spec, series: readonly Bars[], opts: OptimizeOptions): Promise<OptimizationRun> {
  requireSeries(series, `optimize ${spec.name}`);
  const params = candidateTrials(spec, opts.method, opts.trials, opts.seed);
  const windows: SeriesWindow[] = series.map((b) => ({ from: 0, to: b.time.length }));
  const runner = new TrialRunner(spec, series, { workers: opts.workers });
  try {
    const outcomes = await runner.run(params.map((p) => ({ params: p, windows })));
    // The grid's times, computed here too: each worker keeps its own layout.
    return toOptimizationRun(opts.method, params, outcomes, poolLayout(series, windows).time);
  } finally {
    await runner.close();
  }
}
