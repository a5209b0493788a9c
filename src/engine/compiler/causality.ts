import { sliceBars, type Bars } from '../data/bars.ts';
import type { CompiledSpec } from './compile.ts';

export interface CausalityProbe {
  ok: boolean;
  /** Bars at which the series was cut (the last bar each truncated run keeps). */
  cuts: number[];
  /** The first disagreement: a bit at `bar` differs between the run cut at `cut` and the full run. */
  mismatch: { cut: number; bar: number; full: number; truncated: number } | null;
}

/**
 * The dynamic causality probe (DESIGN §6): cut the data at K seeded random bars, recompute the
 * signals on each truncated series, and require them to equal the full run's signals up to the cut.
 * `random` must be a seeded generator in [0, 1), so the probe is reproducible.
 */
export function probeCausality(compiled: CompiledSpec, bars: Bars, k: number, random: () => number): CausalityProbe {
  const n = bars.time.length;
  const full = compiled.signals(bars);
  const cuts: number[] = [];
  if (n < 2) return { ok: true, cuts, mismatch: null };
  for (let j = 0; j < k; j++) cuts.push(Math.min(n - 2, Math.floor(random() * (n - 1))));
  cuts.sort((a, b) => a - b);
  for (const cut of cuts) {
    const part = compiled.signals(sliceBars(bars, 0, cut + 1));
    for (let t = 0; t <= cut; t++) {
      if (part[t] !== full[t]) return { ok: false, cuts, mismatch: { cut, bar: t, full: full[t]!, truncated: part[t]! } };
    }
  }
  return { ok: true, cuts, mismatch: null };
}
