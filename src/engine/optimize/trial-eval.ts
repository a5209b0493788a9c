import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import type { OutputBuffers } from '../backtest/run.ts';
import { compile } from '../compiler/compile.ts';
import { runWindow } from '../research/window-run.ts';
import { Workspace } from '../workspace.ts';
import { withParams, type ParamValues } from './param-space.ts';
import { PoolAccumulator, perBarSharpe, poolLayout, type PoolLayout, type SeriesWindow } from './pooled-returns.ts';

/** What one trial measured on the pooled series (the objective and the columns PBO needs). */
export interface TrialOutcome {
  /** Per-bar Sharpe of the pooled returns: the objective, and what DSR counts. */
  sharpe: number;
  /** sharpe · √(pooled bars per year). */
  annualSharpe: number;
  /** Mean return of every closed trade of every series (DESIGN §5 per-trade return). */
  avgTradeReturn: number;
  trades: number;
  /** Pooled per-bar returns on the layout's grid. */
  returns: Float64Array;
}

export function windowsKey(windows: readonly SeriesWindow[]): string {
  return windows.map((w) => `${w.from}:${w.to}`).join(',');
}

/**
 * Runs trials of one spec family on a fixed set of series: set the params, compile, run every
 * series' window (runWindow: signals from the series' first bar, execution on the window), pool.
 * The same code runs in every worker and inline, and a trial's numbers depend only on its params
 * and windows, so results do not depend on how trials are spread over workers.
 * Scratch and output columns are reused from trial to trial; only the returned outcome is fresh.
 */
export class TrialEvaluator {
  private readonly layouts = new Map<string, { layout: PoolLayout; acc: PoolAccumulator }>();
  private readonly buffers: (OutputBuffers | undefined)[];
  private readonly ws = new Workspace();

  constructor(private readonly spec: Spec, private readonly series: readonly Bars[]) {
    this.buffers = series.map(() => undefined);
  }

  layout(windows: readonly SeriesWindow[]): PoolLayout {
    return this.pooling(windows).layout;
  }

  /** Uses `layout`, built elsewhere by poolLayout over the same series, for `windows`. */
  adoptLayout(windows: readonly SeriesWindow[], layout: PoolLayout): void {
    this.layouts.set(windowsKey(windows), { layout, acc: new PoolAccumulator(layout) });
  }

  private pooling(windows: readonly SeriesWindow[]): { layout: PoolLayout; acc: PoolAccumulator } {
    const key = windowsKey(windows);
    let p = this.layouts.get(key);
    if (p === undefined) {
      const layout = poolLayout(this.series, windows);
      p = { layout, acc: new PoolAccumulator(layout) };
      this.layouts.set(key, p);
    }
    return p;
  }

  evaluate(params: ParamValues, windows: readonly SeriesWindow[]): TrialOutcome {
    const compiled = compile(withParams(this.spec, params));
    const { layout, acc } = this.pooling(windows);
    acc.reset();
    let trades = 0;
    let sumTrade = 0;
    this.series.forEach((bars, k) => {
      const w = windows[k]!;
      if (w.to <= w.from) return;
      const { result } = runWindow(compiled, bars, w.from, w.to, { ws: this.ws, into: this.buffers[k] });
      this.buffers[k] = { equity: result.equity, position: result.position, log: result.log };
      acc.add(k, result.equity);
      const log = result.log;
      for (let j = 0; j < log.count; j++) sumTrade += log.ret[j]!;
      trades += log.count;
    });
    const returns = acc.finish();
    const sharpe = perBarSharpe(returns);
    return {
      sharpe,
      annualSharpe: sharpe * Math.sqrt(layout.barsPerYear),
      avgTradeReturn: trades > 0 ? sumTrade / trades : 0,
      trades,
      returns,
    };
  }
}
