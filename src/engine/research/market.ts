import type { Interval } from '../../core/intervals.ts';
import type { Bars } from '../data/bars.ts';

/**
 * The scope's equal-weight market return (docs/gates.md, viability and multiple testing): at every bar
 * time, the plain mean of close/previous close − 1 over the scope's symbols that have a bar at that
 * time and the one before it. It hedges a run bar by bar at the run's own exposure, so a long-only rule
 * that merely holds stocks through a falling market is not charged the market's drawdown, and one that
 * holds through a rising market is not credited with it.
 * The scope is every universe symbol of the run's market type at that interval (research scope
 * narrowing does not change the hedge: the market is the market).
 */
export class MarketReturns {
  private readonly byInterval = new Map<string, Map<number, number>>();

  /**
   * The market return at each of `time` (0 where no scope symbol has a return at that time, and at
   * index 0). `load` gives the scope's bars; it is called once per scope and interval.
   */
  aligned(interval: Interval, scope: string, time: Float64Array, load: () => Bars[]): Float64Array {
    const m = this.series(interval, scope, load);
    const out = new Float64Array(time.length);
    for (let i = 1; i < time.length; i++) out[i] = m.get(time[i]!) ?? 0;
    return out;
  }

  private series(interval: Interval, scope: string, load: () => Bars[]): Map<number, number> {
    const id = `${scope}@${interval}`;
    let m = this.byInterval.get(id);
    if (m !== undefined) return m;
    const sum = new Map<number, number>();
    const count = new Map<number, number>();
    for (const bars of load()) {
      for (let t = 1; t < bars.time.length; t++) {
        const at = bars.time[t]!;
        sum.set(at, (sum.get(at) ?? 0) + bars.close[t]! / bars.close[t - 1]! - 1);
        count.set(at, (count.get(at) ?? 0) + 1);
      }
    }
    m = new Map<number, number>();
    for (const [at, s] of sum) m.set(at, s / count.get(at)!);
    this.byInterval.set(id, m);
    return m;
  }
}
